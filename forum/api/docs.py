"""/api/docs: the browsable API reference (Swagger UI, served from our own static files,
so the page works offline and within the site's Content-Security-Policy)."""

from ninja.openapi.views import openapi_view

from forum.api.site import api


def api_docs(request):
    return openapi_view(request, api)
