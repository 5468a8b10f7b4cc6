"""What the event lines of moved and merged threads read from the stored event."""

from django import template

register = template.Library()


@register.filter
def move_boards(reason: str) -> tuple[str, str]:
    """The two board names a move's event keeps, one per line, as they were named then."""
    names = (reason or "").split("\n")
    return (names[0], names[1]) if len(names) >= 2 else ("", "")
