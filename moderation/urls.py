"""Moderation URLs. Views live one module per area in moderation/views/."""

from django.urls import path

from moderation.views import (
    appeals,
    flags,
    guidelines,
    inbox,
    lockdowns,
    log,
    members,
    posts,
    queue,
)

app_name = "moderation"

urlpatterns = [
    # Guidelines (public; admins publish new versions)
    path("guidelines/", guidelines.guidelines_current, name="guidelines"),
    path("guidelines/v<int:number>/", guidelines.guidelines_version, name="guidelines-version"),
    path("guidelines/edit/", guidelines.GuidelinesEditView.as_view(), name="guidelines-edit"),
    # Members: flags, appeals, their messages from moderators
    path("p/<int:post_id>/flag/", flags.PostFlagView.as_view(), name="post-flag"),
    path(
        "moderation/appeals/new/<int:action_id>/",
        appeals.AppealCreateView.as_view(),
        name="appeal-create",
    ),
    path("moderation/inbox/", inbox.inbox, name="inbox"),
    # Review queue
    path("moderation/queue/", queue.queue_list, name="queue"),
    path("moderation/queue/<int:item_id>/", queue.item_detail, name="queue-item"),
    path("moderation/queue/<int:item_id>/claim/", queue.item_claim, name="queue-item-claim"),
    path("moderation/queue/<int:item_id>/release/", queue.item_release, name="queue-item-release"),
    path("moderation/queue/<int:item_id>/decide/", queue.item_decide, name="queue-item-decide"),
    path(
        "moderation/queue/<int:item_id>/escalate/", queue.item_escalate, name="queue-item-escalate"
    ),
    # Members' case pages, blocks, spam
    path("moderation/members/<int:member_id>/", members.member_case, name="member-case"),
    path("moderation/members/<int:member_id>/notes/", members.note_add, name="member-note-add"),
    path(
        "moderation/members/<int:member_id>/block/",
        members.MemberBlockView.as_view(),
        name="member-block",
    ),
    path(
        "moderation/members/<int:member_id>/spam/",
        members.MemberSpamView.as_view(),
        name="member-spam",
    ),
    path(
        "moderation/blocks/<int:block_id>/lift/", members.BlockLiftView.as_view(), name="block-lift"
    ),
    # Posts
    path("p/<int:post_id>/hide/", posts.PostHideView.as_view(), name="post-hide"),
    path("p/<int:post_id>/restore/", posts.PostRestoreView.as_view(), name="post-restore"),
    # Lockdowns
    path(
        "t/<int:thread_id>/lockdown/",
        lockdowns.ThreadLockdownView.as_view(),
        name="thread-lockdown",
    ),
    path(
        "b/<slug:board_slug>/lockdown/",
        lockdowns.BoardLockdownView.as_view(),
        name="board-lockdown",
    ),
    path(
        "moderation/lockdowns/<int:lockdown_id>/lift/",
        lockdowns.LockdownLiftView.as_view(),
        name="lockdown-lift",
    ),
    # The log and its public summary
    path("moderation/log/", log.action_log, name="log"),
    path(
        "moderation/log/<int:action_id>/reverse/",
        log.ActionReverseView.as_view(),
        name="action-reverse",
    ),
    path("transparency/", log.transparency, name="transparency"),
]
