"""Private staff notes on a thread: written from a small form under the reply box,
shown among the posts to staff and moderators, changed by their author.

Notes never enter what members can receive: the shared post list (kept per reader kind)
and the visitors' stored pages are rendered without them; they are added to each
staff reader's own page by ``thread_context``. The live fragments, feeds, search and
emails read posts only."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext

from accounts.permissions import can
from config.views import CheckedFormView
from forum import ratelimit, selectors
from forum.forms.staff_notes import StaffNoteForm
from forum.permissions import (
    check_edit_staff_note,
    check_view_staff_notes,
    check_write_staff_note,
)
from forum.selectors import staff_notes as note_selectors
from forum.services import staff_notes as note_services


def _note_url(note) -> str:
    """The note in its place: on the page of the post it follows."""
    page = (note.after_position - 1) // settings.FORUM_POSTS_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{note.thread.get_absolute_url()}{query}#note-{note.pk}"


class _StaffNoteFormView(CheckedFormView):
    template_name = "forum/staff_note_form.html"
    form_class = StaffNoteForm
    # The form is the team's alone: anyone else gets the 403 page, not the form.
    refusal_shows_form = False

    def login_next(self) -> str:
        return self.thread.get_absolute_url()

    def write_context(self):
        return ratelimit.spending()

    def get_context_data(self, **context) -> dict:
        return {
            "thread": self.thread,
            "board": self.thread.board,
            "note": getattr(self, "note", None),
            **context,
        }


class StaffNoteCreateView(_StaffNoteFormView):
    """The form under the reply box posts here; a mistake shows it again on its own page,
    with the text kept."""

    http_method_names = ["post"]

    def load(self, request, *, thread_id: int) -> None:
        self.thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
        request.current_board = self.thread.board

    def check(self, user) -> None:
        check_write_staff_note(user, self.thread)

    def act(self, form):
        return note_services.staff_note_create(
            thread=self.thread, author=self.request.user, body=form.cleaned_data["body"]
        )

    def done(self, note):
        messages.success(
            self.request, gettext("Staff note saved. Only staff and moderators see it.")
        )
        return HttpResponseRedirect(_note_url(note))


class StaffNoteEditView(_StaffNoteFormView):
    """The note's author changes it; the new text replaces the old and it shows as edited."""

    def load(self, request, *, thread_id: int, note_id: int) -> None:
        self.thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
        request.current_board = self.thread.board
        if not can(check_view_staff_notes, request.user):
            # The same 404 as a missing note: members don't learn that notes exist.
            raise Http404("No such note.")
        self.note = note_selectors.staff_note_get(thread_id=self.thread.pk, note_id=note_id)
        self.note.thread = self.thread

    def check(self, user) -> None:
        check_edit_staff_note(user, self.note)

    def get_form_kwargs(self) -> dict:
        return {} if self.request.method == "POST" else {"initial": {"body": self.note.body}}

    def act(self, form):
        return note_services.staff_note_edit(
            note=self.note, editor=self.request.user, body=form.cleaned_data["body"]
        )

    def done(self, changed):
        if changed:
            messages.success(self.request, gettext("Staff note updated."))
        else:
            messages.info(self.request, gettext("The note was unchanged, so nothing was saved."))
        return HttpResponseRedirect(_note_url(self.note))


def thread_context(request, thread, page, posts) -> dict:
    """The page's staff notes and the note form, for staff and moderators alone (one query
    for the notes); nothing at all for anyone else."""
    if not can(check_view_staff_notes, request.user):
        return {}
    return {
        "staff_notes": note_selectors.staff_notes_for_posts(
            thread_id=thread.pk, posts=posts, last_page=not page.has_next
        ),
        "staff_note_form": StaffNoteForm(),
    }
