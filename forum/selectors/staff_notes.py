"""Private staff notes: the ones a thread page shows, and one note for its editor.

Callers ask ``check_view_staff_notes`` (or the edit check) first: these selectors do not
know who is reading."""

from django.db.models import Q
from django.http import Http404

from forum.models import Post, StaffNote, Thread, ThreadMerge


def _place_merged(thread_id: int, notes: list) -> None:
    """Give each note of a thread merged into ``thread_id`` the position, here, of the
    post it followed there (the merge recorded where each moved post came from), and say
    which thread it came from. Two queries; only when such notes exist."""
    sources = {note.thread_id for note in notes}
    merges = ThreadMerge.objects.filter(
        source_id__in=sources, target_id=thread_id, reversed_at__isnull=True
    ).order_by("source_id", "-created_at")
    origins: dict[int, list[tuple[int, int]]] = {}
    for merge in merges:
        origins.setdefault(merge.source_id, sorted((pos, pk) for pk, pos in merge.moved_posts))
    moved_ids = [pk for pairs in origins.values() for _, pk in pairs]
    here = dict(Post.objects.filter(pk__in=moved_ids).values_list("pk", "position"))
    for note in notes:
        pairs = [(pos, here[pk]) for pos, pk in origins.get(note.thread_id, []) if pk in here]
        before = [now for was, now in pairs if was <= note.after_position]
        note.merged_from = note.thread_id
        note.after_position = before[-1] if before else (pairs[0][1] if pairs else 0)


def staff_notes_for_posts(*, thread_id: int, posts, last_page: bool) -> dict[int, list]:
    """The notes that belong among ``posts`` (one page, in position order), keyed by the
    position of the post each follows: the last shown post at or before the note's place.
    On the last page the notes after its last post come too. Notes of threads merged into
    this one are shown after the post they followed before the merge. One query (none
    without posts), authors joined; two more when merged-in notes exist."""
    if not posts:
        return {}
    positions = [post.position for post in posts]
    threads = Thread.objects.filter(Q(pk=thread_id) | Q(merged_into_id=thread_id)).values("pk")
    on_page = Q(after_position__gte=positions[0])
    if not last_page:
        on_page &= Q(after_position__lte=positions[-1])
    notes = list(
        StaffNote.objects.filter(thread_id__in=threads)
        .filter(on_page | ~Q(thread_id=thread_id))
        .select_related("author")
    )
    merged = [note for note in notes if note.thread_id != thread_id]
    if merged:
        _place_merged(thread_id, merged)
        last = positions[-1] if not last_page else None
        notes = [
            note
            for note in notes
            if note.thread_id == thread_id
            or (
                note.after_position >= positions[0]
                and (last is None or note.after_position <= last)
            )
        ]
    notes.sort(key=lambda note: (note.after_position, note.created_at, note.pk))
    placed: dict[int, list] = {}
    index = 0
    for note in notes:
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
