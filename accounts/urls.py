"""The member's own data and account, under /settings/ (namespace ``accounts``, shared
with the profile pages that config/urls.py includes alongside)."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("settings/data/", views.DataPageView.as_view(), name="data"),
    path(
        "settings/data/export/<str:token>/",
        views.data_export_download,
        name="data-export-download",
    ),
    path("settings/delete/", views.AccountDeleteView.as_view(), name="delete"),
]
