from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    path("", views.board_index, name="board-index"),
    path("help/", views.help_page, name="help"),
    path("status/", views.status_page, name="status"),
    path("notices/live/", views.notices_fragment, name="notices-fragment"),
    path("notices/<int:notice_id>/dismiss/", views.notice_dismiss, name="notice-dismiss"),
    path("b/<slug:board_slug>/", views.board_detail, name="board-detail"),
    path("b/<slug:board_slug>/new/", views.ThreadCreateView.as_view(), name="thread-create"),
    path("t/<int:thread_id>/", views.thread_detail, name="thread-detail"),
    path("t/<int:thread_id>/reply/", views.ThreadReplyView.as_view(), name="thread-reply"),
    path("p/<int:post_id>/", views.post_permalink, name="post-permalink"),
    path("p/<int:post_id>/edit/", views.PostEditView.as_view(), name="post-edit"),
    path("p/<int:post_id>/revisions/", views.post_revisions, name="post-revisions"),
]
