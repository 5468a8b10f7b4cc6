from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("guidelines/", views.guidelines_current, name="guidelines"),
    path("guidelines/v<int:number>/", views.guidelines_version, name="guidelines-version"),
]
