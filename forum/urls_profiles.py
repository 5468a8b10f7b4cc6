"""Members' profiles. Their URL names stay in the ``accounts`` namespace
(``accounts:profile``, ``accounts:profile-edit``) that the user model and the templates
reverse, while the views live in the forum (forum/views/profiles.py)."""

from django.urls import path

from forum.views import profiles

app_name = "accounts"

urlpatterns = [
    path("u/<str:username>/", profiles.profile_detail, name="profile"),
    path("settings/profile/", profiles.ProfileEditView.as_view(), name="profile-edit"),
]
