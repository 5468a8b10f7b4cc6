from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from forum import feeds
from forum.views import (
    answers,
    assignment,
    attachments,
    boards,
    contact,
    live,
    moving,
    notices,
    notifications,
    posts,
    profiles,
    reading,
    saved_replies,
    search,
    site_status,
    staff_notes,
    statuses,
    temperature,
    theme,
    threads,
)
from forum.views.visitor_cache import site_pages, visitor_cached

# Feeds are the same for every visitor; stored as their pages are.
cached_feed = visitor_cached(site_pages)

app_name = "forum"

urlpatterns = [
    path("", boards.board_index, name="board-index"),
    path("help/", contact.HelpPageView.as_view(), name="help"),
    # Staff pages
    path("staff/unanswered/", answers.staff_unanswered, name="staff-unanswered"),
    path("staff/mine/", assignment.staff_my_threads, name="staff-my-threads"),
    path("staff/temperature/", temperature.staff_temperature, name="staff-temperature"),
    path("staff/watches/", search.StaffWatchesView.as_view(), name="staff-watches"),
    path(
        "staff/watches/<int:watch_id>/delete/",
        search.staff_watch_delete,
        name="staff-watch-delete",
    ),
    path("staff/replies/", saved_replies.saved_reply_list, name="saved-reply-list"),
    path(
        "staff/replies/new/",
        saved_replies.SavedReplyCreateView.as_view(),
        name="saved-reply-create",
    ),
    path(
        "staff/replies/<int:saved_reply_id>/edit/",
        saved_replies.SavedReplyEditView.as_view(),
        name="saved-reply-edit",
    ),
    path(
        "staff/replies/<int:saved_reply_id>/delete/",
        saved_replies.SavedReplyDeleteView.as_view(),
        name="saved-reply-delete",
    ),
    path(
        "staff/replies/<int:saved_reply_id>/used/",
        saved_replies.saved_reply_use,
        name="saved-reply-use",
    ),
    path("staff/contact/", contact.contact_inbox, name="contact-inbox"),
    path(
        "staff/contact/<int:message_id>/",
        contact.contact_message_detail,
        name="contact-message",
    ),
    # Attachments (the address is also what forum.markup recognises in a post)
    path("attachments/", attachments.attachment_upload, name="attachment-upload"),
    path("attachments/<int:attachment_id>/", attachments.attachment_image, name="attachment"),
    path(
        "attachments/<int:attachment_id>/thumbnail/",
        attachments.attachment_thumbnail,
        name="attachment-thumbnail",
    ),
    # Search and feeds
    path("search/", search.search, name="search"),
    path("feed/rss/", cached_feed(feeds.LatestThreadsFeed()), name="site-feed-rss"),
    path("feed/atom/", cached_feed(feeds.LatestThreadsAtomFeed()), name="site-feed-atom"),
    path("search/feed/rss/", cached_feed(feeds.SearchPostsFeed()), name="search-feed-rss"),
    path("search/feed/atom/", cached_feed(feeds.SearchPostsAtomFeed()), name="search-feed-atom"),
    path(
        "b/<slug:board_slug>/feed/rss/", cached_feed(feeds.BoardPostsFeed()), name="board-feed-rss"
    ),
    path(
        "b/<slug:board_slug>/feed/atom/",
        cached_feed(feeds.BoardPostsAtomFeed()),
        name="board-feed-atom",
    ),
    path(
        "t/<int:thread_id>/feed/rss/", cached_feed(feeds.ThreadPostsFeed()), name="thread-feed-rss"
    ),
    path(
        "t/<int:thread_id>/feed/atom/",
        cached_feed(feeds.ThreadPostsAtomFeed()),
        name="thread-feed-atom",
    ),
    # /u/ belongs to the accounts app (profiles), so member feeds live under /feeds/u/.
    path(
        "feeds/u/<str:username>/rss/", cached_feed(feeds.MemberPostsFeed()), name="member-feed-rss"
    ),
    path(
        "feeds/u/<str:username>/atom/",
        cached_feed(feeds.MemberPostsAtomFeed()),
        name="member-feed-atom",
    ),
    # Notifications and watching
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.notification_mark_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.notification_mark_all_read,
        name="notifications-read-all",
    ),
    path(
        "notifications/settings/",
        require_http_methods(["GET", "POST"])(notifications.NotificationSettingsView.as_view()),
        name="notification-settings",
    ),
    path("unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("t/<int:thread_id>/watch/", notifications.thread_watch, name="thread-watch"),
    path("t/<int:thread_id>/read/", reading.thread_mark_read, name="thread-read"),
    # Staff move and merge threads, and undo either
    path(
        "t/<int:thread_id>/move/",
        require_http_methods(["GET", "POST"])(moving.ThreadMoveView.as_view()),
        name="thread-move",
    ),
    path(
        "t/<int:thread_id>/merge/",
        require_POST(moving.ThreadMergeView.as_view()),
        name="thread-merge",
    ),
    path(
        "t/<int:thread_id>/moves/<int:move_id>/undo/",
        moving.thread_move_reverse,
        name="thread-move-reverse",
    ),
    path(
        "t/<int:thread_id>/merges/<int:merge_id>/split/",
        moving.thread_merge_reverse,
        name="thread-merge-reverse",
    ),
    path("b/<slug:board_slug>/watch/", notifications.board_watch, name="board-watch"),
    # Help, Bug and Idea workflows
    path("t/<int:thread_id>/accept/", answers.thread_accept_answer, name="thread-accept"),
    path("t/<int:thread_id>/unaccept/", answers.thread_unaccept_answer, name="thread-unaccept"),
    path("t/<int:thread_id>/prompt/", answers.thread_prompt_response, name="thread-prompt"),
    path("p/<int:post_id>/official/", answers.post_mark_official, name="post-official"),
    path(
        "t/<int:thread_id>/status/",
        require_POST(statuses.ThreadStatusView.as_view()),
        name="thread-status",
    ),
    path("t/<int:thread_id>/vote/", statuses.thread_vote, name="thread-vote"),
    path(
        "t/<int:thread_id>/assign/",
        require_POST(assignment.ThreadAssignView.as_view()),
        name="thread-assign",
    ),
    path("t/<int:thread_id>/unassign/", assignment.thread_unassign, name="thread-unassign"),
    path(
        "t/<int:thread_id>/notes/",
        staff_notes.StaffNoteCreateView.as_view(),
        name="staff-note-create",
    ),
    path(
        "t/<int:thread_id>/notes/<int:note_id>/edit/",
        staff_notes.StaffNoteEditView.as_view(),
        name="staff-note-edit",
    ),
    path("t/<int:thread_id>/affected/", statuses.thread_affected, name="thread-affected"),
    path("status/", site_status.status_page, name="status"),
    path("notices/live/", notices.notices_fragment, name="notices-fragment"),
    path("notices/<int:notice_id>/dismiss/", notices.notice_dismiss, name="notice-dismiss"),
    # Admins manage notices in the site's own pages
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/new/", notices.NoticeCreateView.as_view(), name="notice-create"),
    path("notices/<int:notice_id>/edit/", notices.NoticeEditView.as_view(), name="notice-edit"),
    path("notices/<int:notice_id>/end/", notices.NoticeEndView.as_view(), name="notice-end"),
    path(
        "notices/<int:notice_id>/delete/", notices.NoticeDeleteView.as_view(), name="notice-delete"
    ),
    # Live updates: fragments the page script fetches (catch-up after a reconnect, banners)
    path("t/<int:thread_id>/live/posts/", live.thread_posts_after, name="thread-live-posts"),
    path("t/<int:thread_id>/live/banners/", live.thread_banners, name="thread-live-banners"),
    path("b/<slug:board_slug>/", boards.board_detail, name="board-detail"),
    path("b/<slug:board_slug>/new/", threads.ThreadCreateView.as_view(), name="thread-create"),
    path("t/<int:thread_id>/", threads.thread_detail, name="thread-detail"),
    path("t/<int:thread_id>/reply/", threads.ThreadReplyView.as_view(), name="thread-reply"),
    path(
        "t/<int:thread_id>/reply/saved/",
        saved_replies.thread_reply_insert,
        name="thread-reply-insert",
    ),
    path(
        "t/<int:thread_id>/saved-replies/<int:saved_reply_id>/",
        saved_replies.thread_saved_reply,
        name="thread-saved-reply",
    ),
    path("p/<int:post_id>/", posts.post_permalink, name="post-permalink"),
    path("p/<int:post_id>/edit/", posts.PostEditView.as_view(), name="post-edit"),
    path("p/<int:post_id>/revisions/", posts.post_revisions, name="post-revisions"),
]


# Members' profiles keep the ``accounts`` namespace (``accounts:profile``) that the user
# model and the templates reverse; config/urls.py includes them under it.
profile_urlpatterns = [
    path("u/<str:username>/", profiles.profile_detail, name="profile"),
    path("settings/profile/", profiles.ProfileEditView.as_view(), name="profile-edit"),
    path("settings/theme/", theme.ThemeEditView.as_view(), name="theme"),
]
