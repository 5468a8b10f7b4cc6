"""The member's own data, account and API tokens, under /settings/ (namespace ``accounts``,
shared with the profile pages that config/urls.py includes alongside)."""

from django.urls import path

from accounts import views, views_tokens

urlpatterns = [
    path("settings/data/", views.DataPageView.as_view(), name="data"),
    path(
        "settings/data/export/<str:token>/",
        views.data_export_download,
        name="data-export-download",
    ),
    path("settings/delete/", views.AccountDeleteView.as_view(), name="delete"),
    path("settings/tokens/", views_tokens.AccessTokenListView.as_view(), name="tokens"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views_tokens.AccessTokenRevokeView.as_view(),
        name="token-revoke",
    ),
]
