"""The footer's language picker for visitors (members choose theirs in their settings).

Django's set_language stores the choice in the django_language cookie, which
LocaleMiddleware reads before Accept-Language, and redirects back to ``next`` (only to
this site). It takes no CSRF token: the picker is on pages every visitor shares from the
page cache, which a per-visitor token would rule out, and the most a forged post can do
is change the language a browser reads the site in."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

set_visitor_language = csrf_exempt(require_POST(set_language))
