"""Bug and Idea workflow views: the staff status form, votes on ideas, "I'm affected too"
on bugs, and the thread page's part (status, counts, event lines between posts).

Each write view: look up (404 alike for missing and forbidden), visitors to sign in, the
one check, the service, back to the thread. The status form is a CheckedFormView: with
mistakes it is shown again on its own small page with each error next to its field and
everything typed kept."""

from bisect import bisect_right

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from config.views import CheckedFormView
from forum import ratelimit, selectors
from forum.forms import ThreadStatusForm
from forum.models import Board, Thread, ThreadVote
from forum.permissions import check_mark_affected, check_set_thread_status, check_vote
from forum.selectors import statuses as selectors_statuses
from forum.services import statuses as status_services

STATUS_ANCHOR = "#thread-status"


def _thread_url(thread: Thread) -> str:
    return thread.get_absolute_url() + STATUS_ANCHOR


def _login_back_to(thread: Thread):
    # The write URLs only take POST, so the person comes back to the thread itself.
    return redirect_to_login(thread.get_absolute_url())


def set_status_from_form(form, *, thread: Thread, actor) -> bool:
    """The status form's valid data to the service: the duplicate's number is looked up as
    ``actor`` may see it (a ValidationError beside the field when there is none). Shared by
    the form view and the API."""
    data = form.cleaned_data
    duplicate_of = None
    number = data.get("duplicate_of")
    if data["status"] == Thread.Status.DUPLICATE and number:
        try:
            duplicate_of = selectors.thread_get_for_user(user=actor, thread_id=number)
        except Http404:
            raise ValidationError(
                {
                    "duplicate_of": gettext(
                        "There is no thread #%(number)s. Check the number in the bug "
                        "thread's address."
                    )
                    % {"number": number}
                }
            ) from None
    return status_services.thread_set_status(
        thread=thread,
        actor=actor,
        status=data["status"],
        reason=data["reason"],
        duplicate_of=duplicate_of,
    )


class ThreadStatusView(CheckedFormView):
    """Staff set a bug's or an idea's status from the form on the thread page. A refusal
    is the site's 403 page (the form is not the person's to fill in); mistakes show the
    form again on its own small page."""

    template_name = "forum/thread_status.html"
    form_class = ThreadStatusForm
    http_method_names = ["post"]
    refusal_shows_form = False

    def load(self, request, *, thread_id: int) -> None:
        self.thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)

    def login_next(self) -> str:
        # The write URL only takes POST, so the person comes back to the thread itself.
        return self.thread.get_absolute_url()

    def check(self, user) -> None:
        check_set_thread_status(user, self.thread)

    def get_form_kwargs(self) -> dict:
        return {"thread": self.thread}

    def get_context_data(self, **context) -> dict:
        return {"thread": self.thread, "board": self.thread.board, "status_form": context["form"]}

    def act(self, form):
        return set_status_from_form(form, thread=self.thread, actor=self.request.user)

    def done(self, changed):
        if changed:
            messages.success(
                self.request,
                gettext("Status set to %(status)s; watchers are told.")
                % {"status": self.thread.get_status_display()},
            )
        else:
            messages.info(self.request, gettext("That is already the status, so nothing changed."))
        return HttpResponseRedirect(_thread_url(self.thread))


def _on_value(request) -> bool | None:
    return {"1": True, "0": False}.get(request.POST.get("on", ""))


@ratelimit.spends_budget
def _toggle(request, thread_id: int, *, check, service, messages_for):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return _login_back_to(thread)
    on = _on_value(request)
    if on is None:
        return HttpResponseBadRequest(
            gettext("This button sends on=1 or on=0. Go back to the thread and press it again."),
            content_type="text/plain; charset=utf-8",
        )
    check(request.user, thread)
    changed = service(thread=thread, user=request.user, on=on)
    done, unchanged = messages_for[on]
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, unchanged)
    return HttpResponseRedirect(_thread_url(thread))


@require_POST
def thread_vote(request, thread_id: int):
    return _toggle(
        request,
        thread_id,
        check=check_vote,
        service=status_services.thread_vote,
        messages_for={
            True: (_("Your vote is counted."), _("You had already voted for this idea.")),
            False: (_("Your vote is removed."), _("You hadn't voted for this idea.")),
        },
    )


@require_POST
def thread_affected(request, thread_id: int):
    return _toggle(
        request,
        thread_id,
        check=check_mark_affected,
        service=status_services.thread_mark_affected,
        messages_for={
            True: (
                _("You're counted as affected. Staff see how many people this bug hits."),
                _("You were already counted as affected."),
            ),
            False: (
                _("You're no longer counted as affected."),
                _("You weren't counted as affected."),
            ),
        },
    )


# --- The thread page's part ---------------------------------------------------------------


def attach_events(thread: Thread, posts: list, page=None) -> None:
    """Set ``post.events_after`` on each post of the page: the ThreadEvents shown after it.
    One query for the page: events whose ``after_position`` falls within the page's
    positions (with ``page``, its whole window of positions, gaps where posts are held
    out of this reader's view included); on the reader's last page, also those after
    its last post — posts after it are hidden or held, so no later page shows them."""
    for post in posts:
        post.events_after = []
    if not posts:
        return
    if page is None:
        first, last = posts[0].position, posts[-1].position
        upper = last if last < thread.post_total else None
    else:
        per_page = page.paginator.per_page
        first = (page.number - 1) * per_page + 1
        upper = page.number * per_page if page.has_next() else None
    events = selectors_statuses.thread_events_between(thread=thread, first=first, upper=upper)
    positions = [post.position for post in posts]
    labels = dict(Thread.Status.choices)
    for event in events:
        event.from_label = labels.get(event.from_value, event.from_value)
        event.to_label = labels.get(event.to_value, event.to_value)
        # The post at that position, or the nearest one before it (the last post for
        # events after the end of the thread).
        index = max(bisect_right(positions, event.after_position) - 1, 0)
        posts[index].events_after.append(event)


def thread_context(request, thread, posts, page=None) -> dict:
    """Template values for the thread page's Bug/Idea parts (status, votes, affected,
    the staff status form) and the event lines between posts. Queries: one for the
    page's events; one for a signed-in member's vote on a bug or an idea; one for the
    duplicate's title on a duplicate."""
    attach_events(thread, posts, page)
    kind = thread.board.kind
    if kind not in (Board.Kind.BUGS, Board.Kind.IDEAS):
        return {"status_kind": ""}
    user = request.user
    mine: set[str] = set()
    if user.is_authenticated:
        mine = selectors_statuses.thread_vote_kinds_for_user(thread=thread, user=user)
    can_set_status = can(check_set_thread_status, user, thread)
    return {
        "status_kind": kind,
        "status_label": thread.get_status_display() if thread.status else "",
        "status_form": ThreadStatusForm(
            thread=thread,
            initial={"status": thread.status, "duplicate_of": thread.duplicate_of_id},
        )
        if can_set_status
        else None,
        "viewer_voted": ThreadVote.Kind.VOTE in mine,
        "viewer_affected": ThreadVote.Kind.AFFECTED in mine,
        "can_vote": kind == Board.Kind.IDEAS and can(check_vote, user, thread),
        "can_mark_affected": kind == Board.Kind.BUGS and can(check_mark_affected, user, thread),
        "viewer_is_author": user.is_authenticated and thread.author_id == user.pk,
    }
