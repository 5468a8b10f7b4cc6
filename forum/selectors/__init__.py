"""Reads (CONVENTIONS rule 2), one module per subject; each selector owns its joins.
The public names are re-exported here, so ``from forum import selectors;
selectors.thread_get_for_user(...)`` works whatever module holds it."""

from forum.selectors.answers import (
    MEDIAN_WINDOWS_DAYS,
    BoardResponseTimes,
    accepted_answer_for_page,
    median_first_staff_reply,
    unanswered_page,
    unanswered_threads,
)
from forum.selectors.boards import (
    board_get,
    board_list,
    staff_reply_q,
    thread_page_for_board,
    with_staff_replied,
)
from forum.selectors.contact import (
    INBOX_PER_PAGE,
    contact_inbox_page,
    contact_message_get,
    contact_open_counts,
)
from forum.selectors.notices import (
    notice_get,
    notice_thread_find,
    notices_for_management,
    notices_for_page,
    notices_for_status,
)
from forum.selectors.notifications import (
    ABOUT_PUBLIC,
    NOTIFICATIONS_PER_PAGE,
    deliverable_notifications,
    digest_recipient_ids,
    notification_get_for_user,
    notification_page_for_user,
    unread_notification_count,
    unsent_immediate_ids,
    user_for_unsubscribe_token,
    watch_level_for_board,
    watch_levels_for_thread,
)
from forum.selectors.pagination import CountedPaginator, PositionPaginator
from forum.selectors.posts import (
    post_get_for_user,
    post_list_after,
    post_list_recent_by_author,
    post_page_for_thread,
    post_page_number,
    post_revisions,
    visible_post_count,
)
from forum.selectors.reading import (
    first_post_after,
    read_position,
    read_positions,
    shown_between,
    unread_counts,
)
from forum.selectors.threads import thread_get_for_user
from forum.selectors.visibility import (
    can_see_hidden_thread,
    public_posts,
    public_threads,
    shown_in_full,
    thread_is_held,
    thread_last_position,
    without_others_held,
)

__all__ = [
    "ABOUT_PUBLIC",
    "BoardResponseTimes",
    "CountedPaginator",
    "INBOX_PER_PAGE",
    "MEDIAN_WINDOWS_DAYS",
    "NOTIFICATIONS_PER_PAGE",
    "PositionPaginator",
    "accepted_answer_for_page",
    "board_get",
    "board_list",
    "can_see_hidden_thread",
    "contact_inbox_page",
    "contact_message_get",
    "contact_open_counts",
    "deliverable_notifications",
    "digest_recipient_ids",
    "first_post_after",
    "median_first_staff_reply",
    "notice_get",
    "notice_thread_find",
    "notices_for_management",
    "notices_for_page",
    "notices_for_status",
    "notification_get_for_user",
    "notification_page_for_user",
    "post_get_for_user",
    "post_list_after",
    "post_list_recent_by_author",
    "post_page_for_thread",
    "post_page_number",
    "post_revisions",
    "public_posts",
    "public_threads",
    "read_position",
    "read_positions",
    "shown_between",
    "shown_in_full",
    "staff_reply_q",
    "thread_get_for_user",
    "thread_is_held",
    "thread_last_position",
    "thread_page_for_board",
    "unanswered_page",
    "unanswered_threads",
    "unread_counts",
    "unread_notification_count",
    "unsent_immediate_ids",
    "user_for_unsubscribe_token",
    "visible_post_count",
    "watch_level_for_board",
    "watch_levels_for_thread",
    "with_staff_replied",
    "without_others_held",
]
