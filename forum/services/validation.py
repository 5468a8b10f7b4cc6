"""The rules every title and post body meets before it is stored, and the body's one
render. Each failure is a ValidationError keyed by its field, in words that say how to fix
it."""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext

from forum.markup import RenderRefused, check_renderable, render_markdown
from forum.models import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN

# Control characters other than tab and newlines are invisible and some databases refuse
# them (PostgreSQL rejects NUL), so they are removed rather than stored.
_CONTROL_CHARS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13)) | {127: None}


def without_control_chars(text: str) -> str:
    return text.translate(_CONTROL_CHARS)


def validate_title(title: str) -> str:
    title = " ".join(without_control_chars(title).split())
    if len(title) < TITLE_MIN:
        raise ValidationError(
            {
                "title": gettext(
                    "Titles need at least %(min)s characters so people can tell what "
                    "the thread is about; this one has %(count)s."
                )
                % {"min": TITLE_MIN, "count": len(title)}
            }
        )
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {
                "title": gettext(
                    "Titles can be at most %(max)s characters; this one has "
                    "%(count)s. Shorten it and post again — everything you wrote is "
                    "kept below."
                )
                % {"max": TITLE_MAX, "count": len(title)}
            }
        )
    return title


def validate_body(body: str) -> str:
    body = without_control_chars(body).strip("\n\r ")
    if len(body.strip()) < BODY_MIN:
        raise ValidationError(
            {"body": gettext("Your post is empty. Write something, then post it.")}
        )
    if len(body) > BODY_MAX:
        raise ValidationError(
            {
                "body": gettext(
                    "Posts can be at most %(max)s characters; this one has %(count)s. "
                    "Shorten it or split it into two posts — your text is kept below."
                )
                % {
                    "max": number_format(BODY_MAX, force_grouping=True),
                    "count": number_format(len(body), force_grouping=True),
                }
            }
        )
    try:
        check_renderable(body)
    except RenderRefused as exc:
        raise ValidationError({"body": str(exc)}) from exc
    return body


def render_body(body: str) -> str:
    """A validated body's HTML, rendered before any transaction or row lock is taken; the
    rare body that proves too dense only while being rendered is a field error too."""
    try:
        return render_markdown(body)
    except RenderRefused as exc:
        raise ValidationError({"body": str(exc)}) from exc
