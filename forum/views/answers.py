"""Help workflow pages: accepting an answer, the asker's "Yes, solved" / "Not yet",
official answers, and the staff's unanswered queue.

Each write view has the same shape: POST only, look up (the same 404 for missing and
forbidden), visitors to sign in (brought back to the thread), the one check from
forum.permissions (its reason is the 403 page), the service, a message, back to the
thread or the post."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can
from forum import selectors
from forum.filters import UnansweredFilter
from forum.models import Thread
from forum.permissions import (
    check_accept_answer,
    check_mark_official,
    check_respond_to_prompt,
    check_view_staff_pages,
)
from forum.selectors import answers as selectors_answers
from forum.selectors import assignment as selectors_assignment
from forum.services import answers as services
from forum.views.pages import post_url
from forum.views.temperature import board_sparklines

STATE_HINTS = {
    Thread.HelpState.AWAITING_STAFF: _("Our support team has been asked and will reply here."),
    Thread.HelpState.AWAITING_ASKER: _(
        "Staff replied: waiting for the person who asked to say whether that fixed it."
    ),
    Thread.HelpState.SOLVED: "",
}
REOPENED_HINT = _("The person who asked says it isn't fixed yet; our support team will reply here.")


def _post_in_thread(request, thread):
    """The reply named by the form's ``post_id``; 404 for anything else, as for a missing
    post."""
    raw = request.POST.get("post_id", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Http404("No such post.")
    post = selectors.post_get_for_user(user=request.user, post_id=int(raw))
    if post.thread_id != thread.pk:
        raise Http404("No such post.")
    return post


def _thread_url(thread) -> str:
    return thread.get_absolute_url()


@require_POST
def thread_accept_answer(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_thread_url(thread))
    post = _post_in_thread(request, thread)
    check_accept_answer(request.user, thread, post)
    if services.answer_accept(thread=thread, post=post, actor=request.user):
        messages.success(
            request,
            gettext("%(name)s's reply is now the accepted answer; the question shows as solved.")
            % {"name": post.author.public_name},
        )
    else:
        messages.info(request, gettext("That reply already is the accepted answer."))
    return HttpResponseRedirect(post_url(post))


@require_POST
def thread_unaccept_answer(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_thread_url(thread))
    check_accept_answer(request.user, thread)
    if services.answer_unaccept(thread=thread, actor=request.user):
        messages.success(
            request,
            gettext("The question is no longer marked solved. You can accept another reply."),
        )
    else:
        messages.info(request, gettext("This question had no accepted answer, so nothing changed."))
    return HttpResponseRedirect(_thread_url(thread))


@require_POST
def thread_prompt_response(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_thread_url(thread))
    check_respond_to_prompt(request.user, thread)
    answer = request.POST.get("answer", "")
    if answer not in ("yes", "no"):
        messages.error(
            request, gettext("Choose “Yes, solved” or “Not yet” to tell us whether this is fixed.")
        )
        return HttpResponseRedirect(_thread_url(thread))
    solved = answer == "yes"
    changed = services.prompt_respond(thread=thread, actor=request.user, solved=solved)
    if solved:
        messages.success(
            request,
            gettext("Thanks! The question is marked solved.")
            if changed
            else gettext("This question is already marked solved."),
        )
    else:
        messages.success(
            request,
            gettext(
                "Thanks for telling us. The question is back with our support team; add what "
                "is still wrong in a reply below."
            )
            if changed
            else gettext(
                "Our support team already knows this needs more help; add details in a reply."
            ),
        )
        # Straight to the reply box, to say what is still wrong.
        return HttpResponseRedirect(_thread_url(thread) + "#reply")
    return HttpResponseRedirect(_thread_url(thread))


@require_POST
def post_mark_official(request, post_id: int):
    post = selectors.post_get_for_user(user=request.user, post_id=post_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_thread_url(post.thread))
    check_mark_official(request.user, post)
    choice = request.POST.get("official", "")
    if choice not in ("1", "0"):
        messages.error(
            request, gettext("Choose “Mark official” or “Unmark official” on the reply.")
        )
        return HttpResponseRedirect(post_url(post))
    official = choice == "1"
    if services.post_set_official(post=post, actor=request.user, official=official):
        messages.success(
            request,
            gettext("Marked as an official answer.")
            if official
            else gettext("No longer an official answer."),
        )
    else:
        messages.info(
            request,
            gettext("That reply already is an official answer.")
            if official
            else gettext("That reply wasn't an official answer."),
        )
    return HttpResponseRedirect(post_url(post))


def thread_context(request, thread, posts) -> dict:
    """Template values for the thread page's Help parts: the state and what it means, the
    accepted answer quoted under the question (none, or one query when it is not on this
    page), the asker's prompt, and which replies this reader may accept or mark official
    (the permission checks, asked per post on the page without queries)."""
    user = request.user
    # Any staff reply, on any board, can be the company's official answer.
    officialable = {post.pk for post in posts if can(check_mark_official, user, post)}
    if not thread.help_state or selectors.thread_is_held(thread):
        # A thread held for review was never published: it waits on no one yet.
        return {"help_state_label": "", "officialable_post_ids": officialable}
    accepted = selectors_answers.accepted_answer_for_page(thread=thread, posts=posts)
    can_accept = can(check_accept_answer, user, thread)
    return {
        "help_state_label": thread.get_help_state_display(),
        "help_state_hint": REOPENED_HINT
        if thread.reopened_at and thread.help_state == Thread.HelpState.AWAITING_STAFF
        else STATE_HINTS.get(thread.help_state, ""),
        "accepted_answer": accepted,
        "accepted_post_id": thread.accepted_post_id,
        "accepted_answer_hidden": bool(
            accepted
            and accepted.is_hidden
            and not getattr(user, "is_moderator", False)
            and accepted.author_id != user.pk
        ),
        "show_help_prompt": thread.help_state == Thread.HelpState.AWAITING_ASKER
        and can(check_respond_to_prompt, user, thread),
        "can_unaccept": can_accept and thread.help_state == Thread.HelpState.SOLVED,
        "acceptable_post_ids": {
            post.pk for post in posts if can_accept and can(check_accept_answer, user, thread, post)
        },
        "officialable_post_ids": officialable,
    }


def _format_age(age, *, now) -> str:
    """'3 days', '1 hour' — the largest unit; 'under a minute' for a brand new question."""
    if age < timedelta(minutes=1):
        return gettext("under a minute")
    return timesince(now - age, now=now, depth=1)


def _format_wait(wait) -> str:
    """'3 days', '2 hours, 5 minutes' — the two largest units; a dash without data."""
    if wait is None:
        return "—"
    now = timezone.now()
    if wait < timedelta(minutes=1):
        return gettext("under a minute")
    return timesince(now - wait, now=now, depth=2)


def first_reply_target(thread, *, now) -> dict | None:
    """Where a waiting question stands against its board's target time to a staff reply,
    counted from when it started waiting: "3 hours left" or "overdue by 2 hours". None
    when the board has no target."""
    target = thread.board.first_reply_target
    if target is None:
        return None
    due = thread.waiting_since + target
    if due > now:
        return {
            "due": due,
            "overdue": False,
            "text": gettext("%(time)s left") % {"time": _format_wait(due - now)},
        }
    return {
        "due": due,
        "overdue": True,
        "text": gettext("overdue by %(time)s") % {"time": _format_wait(now - due)},
    }


@require_GET
def staff_unanswered(request):
    """Help threads waiting on staff, oldest wait first, and the median time to a first
    staff reply per Help board."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_staff_pages(request.user)
    now = timezone.now()
    filterset = UnansweredFilter(
        request.GET or None, user=request.user, team=selectors_assignment.assignable_users()
    )
    page = selectors_answers.unanswered_page(
        page_number=request.GET.get("page"), filterset=filterset
    )
    rows = [
        {
            "thread": thread,
            "waiting": _format_age(now - thread.waiting_since, now=now),
            "reopened": thread.reopened_at is not None,
            "target": first_reply_target(thread, now=now),
        }
        for thread in page.object_list
    ]
    medians = [
        {
            "board": times.board,
            "windows": [
                {"days": days, "median": _format_wait(median), "count": count}
                for days, (median, count) in times.medians.items()
            ],
        }
        for times in selectors_answers.median_first_staff_reply(now=now)
    ]
    return render(
        request,
        "forum/staff_unanswered.html",
        {
            "page": page,
            "rows": rows,
            "filterset": filterset,
            "filter_form": filterset.form,
            "medians": medians,
            "windows": selectors_answers.MEDIAN_WINDOWS_DAYS,
            "sparklines": board_sparklines(),
        },
    )
