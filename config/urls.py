from django.contrib import admin
from django.urls import include, path

from accounts.urls import urlpatterns as account_urlpatterns
from config.language import set_visitor_language
from forum.api.docs import api_docs
from forum.api.site import api_not_found, api_urls
from forum.urls import profile_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api_urls()),
    path("api/v1/<path:rest>", api_not_found),
    path("api/docs/", api_docs, name="api-docs"),
    path("language/", set_visitor_language, name="set-language"),
    path("", include((profile_urlpatterns + account_urlpatterns, "accounts"))),
    path("", include("moderation.urls")),
    path("", include("forum.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
