from django.conf import settings


def site(request):
    """Site-wide template values. Notices (issue 4) will add themselves here."""
    return {"SITE_NAME": settings.SITE_NAME, "sitewide_notices": ()}
