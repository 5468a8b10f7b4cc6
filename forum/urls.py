from django.urls import path

from forum import views
from forum.views import live, notices

app_name = "forum"

urlpatterns = [
    path("", views.board_index, name="board-index"),
    path("help/", views.help_page, name="help"),
    path("status/", views.status_page, name="status"),
    path("notices/live/", views.notices_fragment, name="notices-fragment"),
    path("notices/<int:notice_id>/dismiss/", views.notice_dismiss, name="notice-dismiss"),
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
    path("b/<slug:board_slug>/", views.board_detail, name="board-detail"),
    path("b/<slug:board_slug>/new/", views.ThreadCreateView.as_view(), name="thread-create"),
    path("t/<int:thread_id>/", views.thread_detail, name="thread-detail"),
    path("t/<int:thread_id>/reply/", views.ThreadReplyView.as_view(), name="thread-reply"),
    path("p/<int:post_id>/", views.post_permalink, name="post-permalink"),
    path("p/<int:post_id>/edit/", views.PostEditView.as_view(), name="post-edit"),
    path("p/<int:post_id>/revisions/", views.post_revisions, name="post-revisions"),
]
