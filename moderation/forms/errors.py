"""Putting a service's ValidationError where the person will look for it."""

from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError, *, field_map: dict[str, str] | None = None):
    """Add each message next to the field it names (``field_map`` renames a service's
    argument to the form's field, e.g. ``reason`` → ``note``), or above the form when the
    service named no field or one the form does not have."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = field_map.get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)
