"""Form helpers every app shares. They live here, beside the settings, because every app
may import ``config`` while ``accounts`` may import no other app."""

from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError, *, field_map: dict[str, str] | None = None):
    """Put a service's ValidationError where the person will look: next to the field it
    names (``field_map`` renames a service argument to the form's field, e.g. ``reason``
    → ``note``), or above the form when it names no field, a field the form lacks, or a
    hidden one."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        for error in exc.messages:
            form.add_error(None, error)
        return
    for field, errors in exc.message_dict.items():
        name = field_map.get(field, field)
        visible = name in form.fields and not form[name].is_hidden
        for error in errors:
            form.add_error(name if visible else None, error)
