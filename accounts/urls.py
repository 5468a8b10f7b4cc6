from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:username>/", views.profile_detail, name="profile"),
    path("settings/profile/", views.ProfileEditView.as_view(), name="profile-edit"),
]
