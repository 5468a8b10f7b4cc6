"""/api/docs: the browsable API reference, Swagger UI inside the site's own page, served
from our static files, so it works offline and under the site's Content-Security-Policy
(no inline script or style: its settings travel as JSON, its start-up is a static file
with the request's nonce)."""

from csp.decorators import csp_update
from django.shortcuts import render
from django.urls import reverse


# Swagger UI's stylesheet draws its small icons (select arrows, the copy button) as
# data: SVG images. Images only, on this page only: scripts stay under the nonce.
@csp_update({"img-src": ["data:"]})
def api_docs(request):
    openapi_url = reverse("api:openapi-json")
    settings = {
        "url": openapi_url,
        "layout": "BaseLayout",
        # Deep links put a link inside each operation's toggle button: two controls in
        # one, which screen readers and keyboards handle badly.
        "deepLinking": False,
        # Nothing from outside: Swagger UI would otherwise send the document to
        # validator.swagger.io for a badge.
        "validatorUrl": None,
    }
    return render(
        request,
        "forum/api_docs.html",
        {"swagger_settings": settings, "openapi_url": openapi_url},
    )
