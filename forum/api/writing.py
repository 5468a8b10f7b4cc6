"""The one outline every API write follows, the same as the site's form views
(config.views.CheckedFormView):

    scope → look up → check → form → act (the service) → response
      │        │         │       │         │
      403      404       403     400 + fields (the form's own words)

An operation is decorated with ``@requires(scope)``, so an under-scoped token is refused
before anything else; it then looks the thing up with the site's selector (so a missing
and a forbidden thing give the same 404, and a visitor is told to sign in only for
something that exists) and calls ``submit``, which runs the action's one permission check,
binds the request's JSON to the site's own Django form and calls ``act`` with the form,
all inside ``ratelimit.spending()``, so the check takes one use of the member's write
budget and a write that fails gives it back, exactly as a form post does."""

import functools
from collections.abc import Callable

from django.core.exceptions import ValidationError

from forum import ratelimit
from forum.api.auth import require_scope

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_DESCRIPTION = (
    "Send a key of up to 64 characters (a UUID, say) with a POST: if the request is sent "
    "again with the same key — after a timeout, a lost connection — the post is written "
    "once and the same one is returned."
)


def requires(scope: str):
    """The operation needs a token of ``scope`` (the session and visitors pass: their
    action's own check decides)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            require_scope(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _raise_form_errors(form, field_names: dict[str, str]) -> None:
    errors = {
        field_names.get(name, name): [message for error in error_list for message in error.messages]
        for name, error_list in form.errors.as_data().items()
    }
    raise ValidationError(errors)


def _renamed(exc: ValidationError, field_names: dict[str, str]) -> ValidationError:
    """A service's ValidationError names the service's arguments or the form's fields;
    the API answers with the names its callers send."""
    if not hasattr(exc, "error_dict") or not field_names:
        return exc
    return ValidationError(
        {field_names.get(name, name): errors for name, errors in exc.error_dict.items()}
    )


def submit(
    request,
    *,
    check: Callable[[], None],
    form_class=None,
    data: dict | None = None,
    form_kwargs: dict | None = None,
    act: Callable,
    field_names: dict[str, str] | None = None,
):
    """Run one write: ``check()`` (raising PermissionDenied with the reason), the form
    (``form_class(data, **form_kwargs)``; errors raise ValidationError by field, named as
    the API names them through ``field_names``: form field → API field), then
    ``act(form)`` (or ``act()`` without a form), whose result is returned. A
    ValidationError the service raises is answered 400 with its fields as well."""
    field_names = field_names or {}
    with ratelimit.spending():
        check()
        if form_class is None:
            return act()
        form = form_class(data or {}, **(form_kwargs or {}))
        if not form.is_valid():
            _raise_form_errors(form, field_names)
        try:
            return act(form)
        except ValidationError as exc:
            raise _renamed(exc, field_names) from None
