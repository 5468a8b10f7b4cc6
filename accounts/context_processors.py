from django.conf import settings


def accounts(request):
    """Which ways in the sign-in pages and the header offer: local sign-up and password
    sign-in (LOCAL_ACCOUNTS; with it off allauth removes their addresses) and the identity
    provider's button (only with OIDC_ISSUER set, so pages without it ask the database
    nothing about providers)."""
    return {"LOCAL_ACCOUNTS": settings.LOCAL_ACCOUNTS, "SSO_ENABLED": bool(settings.OIDC_ISSUER)}
