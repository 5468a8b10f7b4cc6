"""Bug and Idea workflow views: the staff status form, votes on ideas, "I'm affected too"
on bugs, and the thread page's part (status, counts, event lines between posts).

Each write view: look up (404 alike for missing and forbidden), visitors to sign in, the
one check, the service, back to the thread. A status form with mistakes is shown again on
its own small page with each error next to its field and everything typed kept."""

from bisect import bisect_right

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.permissions import can
from forum import ratelimit, selectors
from forum.forms import apply_service_errors
from forum.models import Board, Thread, ThreadEvent, ThreadVote
from forum.permissions import check_mark_affected, check_set_thread_status, check_vote
from forum.services import statuses as status_services

STATUS_ANCHOR = "#thread-status"


class ThreadStatusForm(forms.Form):
    """Staff set a bug's or an idea's status. The choices are the board's statuses; the
    service has the last word on every rule (a reason for ideas, the duplicate's board)."""

    status = forms.ChoiceField(label="Status")
    reason = forms.CharField(
        label="Reason",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    duplicate_of = forms.IntegerField(
        label="Duplicate of bug #",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 123"}),
        help_text="Only for Duplicate: the number of the bug thread this one repeats.",
        error_messages={
            "invalid": "Enter the bug thread's number, e.g. 123 for /t/123/.",
            "min_value": "Enter the bug thread's number, e.g. 123 for /t/123/.",
        },
    )

    def __init__(self, *args, thread: Thread, **kwargs):
        super().__init__(*args, **kwargs)
        board = thread.board
        allowed = status_services.allowed_statuses(board)
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]
        self.fields["status"].error_messages["invalid_choice"] = (
            "Choose one of the statuses in the list."
        )
        if board.kind == Board.Kind.IDEAS:
            self.fields["reason"].label = "Reason (shown with the status)"
            self.fields["reason"].help_text = (
                f"Required: why this status, in a sentence or two. Up to "
                f"{Thread.STATUS_REASON_MAX:,} characters."
            )
            del self.fields["duplicate_of"]
        else:
            self.fields["reason"].label = "Note (optional)"
            self.fields["reason"].help_text = (
                f"Shown in the thread with the change. Up to {Thread.STATUS_REASON_MAX:,} "
                "characters."
            )


def _thread_url(thread: Thread) -> str:
    return thread.get_absolute_url() + STATUS_ANCHOR


def _login_back_to(thread: Thread):
    # The write URLs only take POST, so the person comes back to the thread itself.
    return redirect_to_login(thread.get_absolute_url())


@require_POST
def thread_set_status(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return _login_back_to(thread)
    check_set_thread_status(request.user, thread)
    form = ThreadStatusForm(request.POST, thread=thread)
    if form.is_valid():
        duplicate_of = None
        number = form.cleaned_data.get("duplicate_of")
        if form.cleaned_data["status"] == Thread.Status.DUPLICATE and number:
            try:
                duplicate_of = selectors.thread_get_for_user(user=request.user, thread_id=number)
            except Http404:
                form.add_error(
                    "duplicate_of",
                    f"There is no thread #{number}. Check the number in the bug thread's address.",
                )
        if form.is_valid():
            try:
                changed = status_services.thread_set_status(
                    thread=thread,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    duplicate_of=duplicate_of,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if changed:
                    messages.success(
                        request, f"Status set to {thread.get_status_display()}; watchers are told."
                    )
                else:
                    messages.info(request, "That is already the status, so nothing changed.")
                return HttpResponseRedirect(_thread_url(thread))
    return render(
        request,
        "forum/thread_status.html",
        {"thread": thread, "board": thread.board, "status_form": form},
        status=400,
    )


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
            "This button sends on=1 or on=0. Go back to the thread and press it again.",
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
            True: ("Your vote is counted.", "You had already voted for this idea."),
            False: ("Your vote is removed.", "You hadn't voted for this idea."),
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
                "You're counted as affected. Staff see how many people this bug hits.",
                "You were already counted as affected.",
            ),
            False: ("You're no longer counted as affected.", "You weren't counted as affected."),
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
    events = ThreadEvent.objects.filter(thread=thread, after_position__gte=first)
    if upper is not None:
        events = events.filter(after_position__lte=upper)
    events = events.select_related("actor", "duplicate_of", "post__author").order_by(
        "created_at", "pk"
    )
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
        mine = set(
            ThreadVote.objects.filter(thread=thread, user=user).values_list("kind", flat=True)
        )
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
