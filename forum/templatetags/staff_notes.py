"""The thread page's staff notes, placed after the post they follow."""

from django import template

register = template.Library()


@register.filter
def notes_after(staff_notes: dict | None, position: int) -> list:
    """The notes placed after the post at ``position`` ([] for readers given no notes)."""
    return (staff_notes or {}).get(position, [])
