"""Lockdowns: lock a thread or a whole board, or put it in slow mode, and lift it.

Same shape as the forum's write views: look up (404 alike), visitors to sign in, the one
check, the service, back to the thread or board with a message. Input errors re-render
with everything kept; a refusal on POST re-renders with the reason and status 403."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from accounts.timezones import member_zone
from forum import selectors as forum_selectors
from forum.forms import apply_service_errors
from moderation import services
from moderation.formatting import format_when
from moderation.forms.lockdowns import LockdownForm, LockdownLiftForm
from moderation.models import Lockdown
from moderation.permissions import check_lockdown, lockdown_message, lockdowns_for


def _signed_in_or_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _active_rows(lockdowns, user) -> list[dict]:
    return [
        {"lockdown": row, "text": lockdown_message(row, user=user), "on_board": row.board_id}
        for row in lockdowns
    ]


class _LockdownSetView(View):
    template_name = "moderation/lockdown_form.html"

    def target_kwargs(self) -> dict:
        raise NotImplementedError

    def active(self):
        raise NotImplementedError

    def target_url(self) -> str:
        raise NotImplementedError

    def _render(self, request, form, status=200, reason=""):
        context = {
            "form": form,
            "denied_reason": reason,
            "zone": member_zone(request.user).key,
            "active_lockdowns": _active_rows(self.active(), request.user)
            if request.user.is_moderator
            else [],
            **self.context(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_lockdown(request.user, self.target)
        return self._render(request, LockdownForm(user=request.user))

    def post(self, request):
        form = LockdownForm(request.POST, user=request.user)
        try:
            check_lockdown(request.user, self.target)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.lockdown_set(
                    actor=request.user,
                    kind=data["kind"],
                    rule_codes=data["rules"],
                    reason=data["reason"],
                    slow_minutes=data["slow_minutes"],
                    ends_at=data["ends_at"],
                    go_instead=data["go_instead"],
                    **self.target_kwargs(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if action is False:
                    messages.info(request, "That lockdown is already in force; nothing changed.")
                    return HttpResponseRedirect(self.target_url())
                lockdown = action.lockdown
                until = (
                    f" It reopens by itself at {format_when(lockdown.ends_at, request.user)}."
                    if lockdown.ends_at
                    else " It stays until a moderator lifts it."
                )
                messages.success(
                    request,
                    f"{'Locked' if lockdown.kind == Lockdown.Kind.LOCK else 'Slow mode is on'}: "
                    f"everyone sees the banner with the rule and your reason.{until}",
                )
                return HttpResponseRedirect(self.target_url())
        return self._render(request, form, status=400)


class ThreadLockdownView(_LockdownSetView):
    def dispatch(self, request, thread_id: int):
        self.target = forum_selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
        return _signed_in_or_login(request) or super().dispatch(request)

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
            "target_name": f"the thread “{self.target.title}”",
            "where": "thread",
        }


class BoardLockdownView(_LockdownSetView):
    def dispatch(self, request, board_slug: str):
        self.target = forum_selectors.board_get(slug=board_slug)
        return _signed_in_or_login(request) or super().dispatch(request)

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
            "target_name": f"the whole {self.target.name} board",
            "where": "board",
        }


class LockdownLiftView(View):
    template_name = "moderation/lockdown_lift.html"

    def dispatch(self, request, lockdown_id: int):
        # moderation.selectors has no single-lockdown read yet; this is the one query.
        self.lockdown = get_object_or_404(
            Lockdown.objects.select_related("thread__board", "board", "created_by"),
            pk=lockdown_id,
        )
        return _signed_in_or_login(request) or super().dispatch(request)

    @property
    def target(self):
        return self.lockdown.thread or self.lockdown.board

    def _render(self, request, form, status=200, reason=""):
        lockdown = self.lockdown
        context = {
            "lockdown": lockdown,
            "form": form,
            "denied_reason": reason,
            "text": lockdown_message(lockdown, user=request.user),
            "thread": lockdown.thread,
            "board": lockdown.board or lockdown.thread.board,
            "target": self.target,
            "is_active": lockdown.is_active_at(timezone.now()),
            "zone": member_zone(request.user).key,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_lockdown(request.user, self.target)
        return self._render(request, LockdownLiftForm())

    def post(self, request):
        form = LockdownLiftForm(request.POST)
        try:
            check_lockdown(request.user, self.target)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            try:
                done = services.lockdown_lift(
                    actor=request.user, lockdown=self.lockdown, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if done is False:
                    messages.info(request, "That lockdown had already ended, so nothing changed.")
                elif done.details.get("revived_lockdown_ids"):
                    messages.success(
                        request,
                        "Lifted. The lockdown it had replaced is in force again; lift that one "
                        "too if members should post freely.",
                    )
                else:
                    messages.success(request, "Lifted: members can post here again.")
                return HttpResponseRedirect(self.target.get_absolute_url())
        return self._render(request, form, status=400)
