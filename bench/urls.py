"""The product's URLs plus a bare view that serves as the ceiling for the same stack."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

CEILING_BODY = b"x" * 20480


def ceiling(request):
    """20 KB of bytes, no database, no template: what the middleware and server cost."""
    return HttpResponse(CEILING_BODY)


urlpatterns = [*urlpatterns, path("bench/ceiling/", ceiling)]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
