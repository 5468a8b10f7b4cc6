"""Notifications and watching views.

The list, reading one (which leads on to the post), marking all read, the email
preference, the one-click unsubscribe page, and the watch controls of threads and boards.
Visitors are sent to sign in and brought back, except on the unsubscribe page, which
works signed out: its signed token is the proof."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from config.views import CheckedFormView
from forum import selectors
from forum.forms import EmailFrequencyForm
from forum.models import Watch
from forum.permissions import (
    check_change_notification_settings,
    check_read_notifications,
    check_watch,
)
from forum.selectors import notifications as selectors_notifications
from forum.services import notifications as service
from forum.services import watching
from forum.views import reading

Frequency = User.EmailFrequency

LEVEL_DONE = {
    "thread": {
        Watch.Level.WATCHING: _("You're watching this thread: every reply will notify you."),
        Watch.Level.NORMAL: _("Back to normal: only mentions and answers to your question."),
        Watch.Level.MUTED: _("Thread muted: it won't notify you unless someone mentions you."),
    },
    "board": {
        Watch.Level.WATCHING: _("You're watching this board: every new thread will notify you."),
        Watch.Level.NORMAL: _("This board is back to normal: only threads you take part in."),
        Watch.Level.MUTED: _("Board muted: only mentions and threads you watch will notify you."),
    },
}


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- The list --------------------------------------------------------------------------


def notification_list(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_read_notifications(request.user)
    page = selectors_notifications.notification_page_for_user(
        user=request.user, page_number=request.GET.get("page")
    )
    items = [
        {
            "notification": n,
            "summary": selectors_notifications.summary(n),
            "excerpt": selectors_notifications.excerpt(n, viewer=request.user),
            "post_hidden": bool(n.post_id and n.post.is_hidden),
            "unread": n.read_at is None,
        }
        for n in page.object_list
    ]
    return render(
        request,
        "forum/notification_list.html",
        {"page": page, "items": items},
    )


@require_http_methods(["GET", "POST"])
def notification_mark_read(request, notification_id: int):
    """Mark one notification read and go where it points. A GET is accepted (the list's
    links and email links are plain links): it changes only the reader's own state."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_read_notifications(request.user)
    notification = selectors_notifications.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    service.notification_mark_read(notification=notification, user=request.user)
    return HttpResponseRedirect(selectors_notifications.target_path(notification))


@require_POST
def notification_mark_all_read(request):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forum:notifications"))
    check_read_notifications(request.user)
    count = service.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Marked %(count)s notification as read.",
                "Marked %(count)s notifications as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, gettext("Everything was read already."))
    return redirect("forum:notifications")


# --- Email preference and unsubscribe ------------------------------------------------------


class NotificationSettingsView(CheckedFormView):
    template_name = "forum/notification_settings.html"
    form_class = EmailFrequencyForm
    http_method_names = ["get", "post"]

    def check(self, user) -> None:
        check_change_notification_settings(user)

    def get_form_kwargs(self) -> dict:
        if self.request.method == "POST":
            return {}
        return {"initial": {"email_frequency": self.request.user.email_frequency}}

    def act(self, form):
        frequency = form.cleaned_data["email_frequency"]
        changed = service.email_frequency_set(user=self.request.user, frequency=frequency)
        return frequency, changed

    def done(self, result):
        frequency, changed = result
        label = dict(Frequency.choices)[frequency]
        if changed:
            messages.success(
                self.request, gettext("Saved. Notification emails: %(label)s.") % {"label": label}
            )
        else:
            messages.info(
                self.request,
                gettext("No change: notification emails were already %(label)s.")
                % {"label": label},
            )
        return redirect("forum:notification-settings")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what will happen and a button; POST stops notification emails. Works
    signed out. CSRF-exempt on purpose: mail providers' one-click unsubscribe (RFC 8058)
    POSTs without a cookie, and the signed token in the URL — which only the member's
    inbox holds — already proves the request comes from them."""
    user = selectors_notifications.user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "forum/unsubscribe.html", {"bad_token": True}, status=400)
    done = False
    if request.method == "POST":
        service.email_frequency_set(user=user, frequency=Frequency.NEVER)
        done = True
    return render(
        request,
        "forum/unsubscribe.html",
        {
            "member": user,
            "done": done,
            "already": not done and user.email_frequency == Frequency.NEVER,
        },
    )


# --- Watching ----------------------------------------------------------------------------


def _level_from(request) -> str | None:
    level = request.POST.get("level", "")
    return level if level in Watch.Level.values else None


def _set_watch(request, *, kind: str, url: str, **target):
    """The one path for both watch controls: sign in, the check, a known level, the
    service, a message, back where the reader was."""
    back = _safe_next(request, url)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    check_watch(request.user)
    level = _level_from(request)
    if level is None:
        messages.error(
            request,
            gettext("Choose Watching, Normal or Muted for this thread.")
            if kind == "thread"
            else gettext("Choose Watching, Normal or Muted for this board."),
        )
        return HttpResponseRedirect(back)
    watching.watch_set(user=request.user, level=level, **target)
    messages.success(request, LEVEL_DONE[kind][level])
    return HttpResponseRedirect(back)


@require_POST
def thread_watch(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    return _set_watch(request, kind="thread", url=thread.get_absolute_url(), thread=thread)


@require_POST
def board_watch(request, board_slug: str):
    board = selectors.board_get(slug=board_slug)
    return _set_watch(request, kind="board", url=board.get_absolute_url(), board=board)


def thread_context(request, thread) -> dict:
    """Template values for the thread page's watch control: the viewer's level in effect
    and whether it comes from watching the board (from the member's state the page reads
    once, ``reading.reader_state``; nothing for visitors)."""
    if not request.user.is_authenticated or thread.board.is_archived:
        return {"thread_watch": None}
    state = reading.reader_state(request, thread)
    board_watched = state.board_watch == Watch.Level.WATCHING
    return {
        "thread_watch": {
            "level": state.thread_watch
            or (Watch.Level.WATCHING if board_watched else Watch.Level.NORMAL),
            "via_board": not state.thread_watch and board_watched,
        }
    }
