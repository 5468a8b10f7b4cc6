"""Lockdowns: lock a thread or a whole board, or put it in slow mode, and lift it.

Same shape as the forum's write views: look up (404 alike), visitors to sign in, the one
check, the service, back to the thread or board with a message. Input errors re-render
with everything kept; a refusal on POST re-renders with the reason and status 403."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.timezones import member_zone
from config.views import CheckedFormView
from forum import selectors as forum_selectors
from moderation import selectors, services
from moderation.formatting import format_when
from moderation.forms.lockdowns import LockdownForm, LockdownLiftForm
from moderation.models import Lockdown
from moderation.permissions import check_lockdown, lockdown_message, lockdowns_for


def _active_rows(lockdowns, user) -> list[dict]:
    return [
        {"lockdown": row, "text": lockdown_message(row, user=user), "on_board": row.board_id}
        for row in lockdowns
    ]


class _LockdownSetView(CheckedFormView):
    template_name = "moderation/lockdown_form.html"
    form_class = LockdownForm

    def target_kwargs(self) -> dict:
        raise NotImplementedError

    def active(self):
        raise NotImplementedError

    def target_url(self) -> str:
        raise NotImplementedError

    def check(self, user) -> None:
        check_lockdown(user, self.target)

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_context_data(self, **context) -> dict:
        user = self.request.user
        return {
            "zone": member_zone(user).key,
            "active_lockdowns": _active_rows(self.active(), user) if user.is_moderator else [],
            **self.context(),
            **context,
        }

    def act(self, form):
        data = form.cleaned_data
        return services.lockdown_set(
            actor=self.request.user,
            kind=data["kind"],
            rule_codes=data["rules"],
            reason=data["reason"],
            slow_minutes=data["slow_minutes"],
            ends_at=data["ends_at"],
            go_instead=data["go_instead"],
            **self.target_kwargs(),
        )

    def done(self, action):
        if action is False:
            messages.info(self.request, _("That lockdown is already in force; nothing changed."))
            return HttpResponseRedirect(self.target_url())
        lockdown = action.lockdown
        if lockdown.kind == Lockdown.Kind.LOCK:
            text = _("Locked: everyone sees the banner with the rule and your reason.")
        else:
            text = _("Slow mode is on: everyone sees the banner with the rule and your reason.")
        if lockdown.ends_at:
            text += " " + _("It reopens by itself at %(when)s.") % {
                "when": format_when(lockdown.ends_at, self.request.user)
            }
        else:
            text += " " + _("It stays until a moderator lifts it.")
        messages.success(self.request, text)
        return HttpResponseRedirect(self.target_url())


class ThreadLockdownView(_LockdownSetView):
    def load(self, request, *, thread_id: int) -> None:
        self.target = forum_selectors.thread_get_for_user(user=request.user, thread_id=thread_id)

    def target_kwargs(self):
        return {"thread": self.target}

    def active(self):
        return lockdowns_for(thread=self.target)

    def target_url(self):
        return self.target.get_absolute_url()

    def context(self):
        return {
            "thread": self.target,
            "board": self.target.board,
            "target_name": _("the thread “%(title)s”") % {"title": self.target.title},
            "where": "thread",
        }


class BoardLockdownView(_LockdownSetView):
    def load(self, request, *, board_slug: str) -> None:
        self.target = forum_selectors.board_get(slug=board_slug)

    def target_kwargs(self):
        return {"board": self.target}

    def active(self):
        return lockdowns_for(board=self.target)

    def target_url(self):
        return self.target.get_absolute_url()

    def context(self):
        return {
            "thread": None,
            "board": self.target,
            "target_name": _("the whole %(name)s board") % {"name": self.target.name},
            "where": "board",
        }


class LockdownLiftView(CheckedFormView):
    template_name = "moderation/lockdown_lift.html"
    form_class = LockdownLiftForm

    def load(self, request, *, lockdown_id: int) -> None:
        self.lockdown = selectors.lockdown_get(lockdown_id=lockdown_id)

    @property
    def target(self):
        return self.lockdown.thread or self.lockdown.board

    def check(self, user) -> None:
        check_lockdown(user, self.target)

    def get_context_data(self, **context) -> dict:
        lockdown = self.lockdown
        return {
            "lockdown": lockdown,
            "text": lockdown_message(lockdown, user=self.request.user),
            "thread": lockdown.thread,
            "board": lockdown.board or lockdown.thread.board,
            "target": self.target,
            "is_active": lockdown.is_active_at(timezone.now()),
            "zone": member_zone(self.request.user).key,
            **context,
        }

    def act(self, form):
        return services.lockdown_lift(
            actor=self.request.user, lockdown=self.lockdown, note=form.cleaned_data["note"]
        )

    def done(self, done):
        if done is False:
            messages.info(self.request, _("That lockdown had already ended, so nothing changed."))
        elif done.details.get("revived_lockdown_ids"):
            messages.success(
                self.request,
                _(
                    "Lifted. The lockdown it had replaced is in force again; lift that one "
                    "too if members should post freely."
                ),
            )
        else:
            messages.success(self.request, _("Lifted: members can post here again."))
        return HttpResponseRedirect(self.target.get_absolute_url())
