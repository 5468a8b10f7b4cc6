"""Staff move a thread to another board or merge it into another thread, and undo
either. One page (/t/<id>/move/) shows both forms and what can be undone; each form
posts to its own address."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from config.views import CheckedFormView
from forum import ratelimit, selectors
from forum.forms.moving import ThreadMergeForm, ThreadMoveForm
from forum.permissions import check_merge_thread, check_move_thread, check_reverse_thread_change
from forum.selectors import moving as moving_selectors
from forum.selectors.board_choices import boards_open_for_threads
from forum.services import merging, moving

NOT_VISIBLE = _("That thread doesn't exist or you can't see it. Check the number or address.")


def _boards_for(thread):
    return boards_open_for_threads().exclude(pk=thread.board_id)


class _ThreadStaffView(CheckedFormView):
    template_name = "forum/thread_move.html"
    # A member has nothing to fill in here: the site's 403 page says why.
    refusal_shows_form = False

    def load(self, request, *, thread_id: int) -> None:
        self.thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)

    def write_context(self):
        return ratelimit.spending()

    def get_context_data(self, **context) -> dict:
        thread = self.thread
        forms = {
            "move_form": ThreadMoveForm(boards=_boards_for(thread)),
            "merge_form": ThreadMergeForm(),
        }
        forms[self.form_key] = context.pop("form")
        user = self.request.user
        return {
            "thread": thread,
            "board": thread.board,
            **forms,
            "latest_move": moving_selectors.latest_move(thread=thread),
            "merges": moving_selectors.merges_into(thread=thread),
            "can_reverse": can(check_reverse_thread_change, user, thread),
            **context,
        }


class ThreadMoveView(_ThreadStaffView):
    form_class = ThreadMoveForm
    form_key = "move_form"

    def check(self, user) -> None:
        check_move_thread(user, self.thread)

    def get_form_kwargs(self) -> dict:
        return {"boards": _boards_for(self.thread)}

    def act(self, form):
        return moving.thread_move(
            thread=self.thread, to_board=form.cleaned_data["board"], actor=self.request.user
        )

    def done(self, move):
        messages.success(
            self.request,
            gettext("Moved to %(board)s. You can move it back from the Move or merge page.")
            % {"board": move.to_board.name},
        )
        return redirect(self.thread)


class ThreadMergeView(_ThreadStaffView):
    form_class = ThreadMergeForm
    form_key = "merge_form"

    def check(self, user) -> None:
        check_merge_thread(user, self.thread)

    def act(self, form):
        try:
            target = selectors.thread_get_for_user(
                user=self.request.user, thread_id=form.cleaned_data["target"]
            )
        except Http404:
            raise ValidationError({"target": str(NOT_VISIBLE)}) from None
        return merging.thread_merge(source=self.thread, target=target, actor=self.request.user)

    def done(self, merge):
        messages.success(
            self.request,
            gettext(
                "Merged into this thread. Its old address leads here; Split back on the Move "
                "or merge page undoes it."
            ),
        )
        return redirect(merge.target)


def _staff_post(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return thread, redirect_to_login(thread.get_absolute_url())
    check_reverse_thread_change(request.user, thread)
    return thread, None


def _page(thread) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("forum:thread-move", kwargs={"thread_id": thread.pk}))


def _refused(request, thread, exc: ValidationError) -> HttpResponseRedirect:
    messages.error(request, " ".join(exc.messages))
    return _page(thread)


@require_POST
@ratelimit.spends_budget
def thread_move_reverse(request, thread_id: int, move_id: int):
    thread, response = _staff_post(request, thread_id)
    if response is not None:
        return response
    move = moving_selectors.move_get(move_id=move_id, thread=thread)
    if move is None:
        raise Http404("No such move.")
    try:
        changed = moving.thread_move_reverse(move=move, actor=request.user)
    except ValidationError as exc:
        return _refused(request, thread, exc)
    if changed:
        messages.success(
            request, gettext("Moved back to %(board)s.") % {"board": move.from_board.name}
        )
    else:
        messages.info(request, gettext("That move was already undone, so nothing changed."))
    return redirect(thread)


@require_POST
@ratelimit.spends_budget
def thread_merge_reverse(request, thread_id: int, merge_id: int):
    thread, response = _staff_post(request, thread_id)
    if response is not None:
        return response
    merge = moving_selectors.merge_get(merge_id=merge_id, target=thread)
    if merge is None:
        raise Http404("No such merge.")
    try:
        changed = merging.thread_merge_reverse(merge=merge, actor=request.user)
    except ValidationError as exc:
        return _refused(request, thread, exc)
    if changed:
        messages.success(
            request,
            gettext("“%(title)s” is a thread of its own again.") % {"title": merge.source.title},
        )
    else:
        messages.info(request, gettext("That merge was already split back, so nothing changed."))
    return redirect(merge.source)


def merged_thread_redirect(thread_id: int) -> HttpResponseRedirect | None:
    """A merged thread's address leads to the thread it was merged into."""
    target_id = moving_selectors.merged_into_id(thread_id=thread_id)
    if target_id is None:
        return None
    return HttpResponseRedirect(reverse("forum:thread-detail", kwargs={"thread_id": target_id}))


def thread_context(request, thread) -> dict:
    """The thread page's "Move or merge" link, for staff alone (no query)."""
    return {"can_move_thread": can(check_move_thread, request.user, thread)}
