"""Private staff notes: the ones a thread page shows, and one note for its editor.

Callers ask ``check_view_staff_notes`` (or the edit check) first: these selectors do not
know who is reading."""

from django.http import Http404

from forum.models import StaffNote


def staff_notes_for_posts(*, thread_id: int, posts, last_page: bool) -> dict[int, list]:
    """The thread's notes that belong among ``posts`` (one page, in position order), keyed
    by the position of the post each follows: the last shown post at or before the note's
    place. On the last page the notes after its last post come too. One query (none
    without posts), authors joined."""
    if not posts:
        return {}
    positions = [post.position for post in posts]
    notes = StaffNote.objects.filter(
        thread_id=thread_id, after_position__gte=positions[0]
    ).select_related("author")
    if not last_page:
        notes = notes.filter(after_position__lte=positions[-1])
    placed: dict[int, list] = {}
    index = 0
    for note in notes.order_by("after_position", "created_at", "pk"):
        while index + 1 < len(positions) and positions[index + 1] <= note.after_position:
            index += 1
        placed.setdefault(positions[index], []).append(note)
    return placed


def staff_note_get(*, thread_id: int, note_id: int) -> StaffNote:
    """The note, with its thread and author; 404 when it is not on that thread."""
    try:
        return StaffNote.objects.select_related("thread", "author").get(
            pk=note_id, thread_id=thread_id
        )
    except StaffNote.DoesNotExist:
        raise Http404("No such note.") from None
