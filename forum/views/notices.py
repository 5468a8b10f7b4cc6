"""Sitewide notices, managed by admins in the site's own pages.

Same shape as every write view: visitors to sign in, the one check
(``check_manage_notices``) for everyone else, the service, back to the list with a
message saying where the notice shows. Input errors re-render the form with everything
kept, each error next to its field; nothing is saved half-way (the service creates the
discussion thread in the notice's own transaction)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from accounts.timezones import member_zone
from forum import selectors, services
from forum.forms import NoticeForm, apply_service_errors
from forum.models import Notice
from forum.permissions import check_manage_notices
from moderation.formatting import format_when

AUDIENCE_PHRASES = {
    Notice.Audience.EVERYONE: "everyone, visitors included",
    Notice.Audience.MEMBERS: "signed-in members",
    Notice.Audience.STAFF: "staff and moderators",
    Notice.Audience.BOARD: "readers of the {board} board",
}


def _refuse(request):
    """A redirect to sign in for visitors; raises the check's reason (403) for others."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_manage_notices(request.user)
    return None


def _hosts(request) -> frozenset[str]:
    """Where a pasted thread link may point: this site, as requested or as configured."""
    hosts = {request.get_host().rsplit(":", 1)[0].strip("[]").lower()}
    hosts.update(h.lower().strip("[]") for h in settings.ALLOWED_HOSTS if not h.startswith("."))
    hosts.discard("*")
    return frozenset(hosts)


def _where_it_shows(notice: Notice, user) -> str:
    audience = AUDIENCE_PHRASES[notice.audience].format(
        board=notice.board.name if notice.board_id else ""
    )
    now = timezone.now()
    if notice.ends_at is not None and notice.ends_at <= now:
        return "It has already ended, so it is listed only under “Earlier” on the status page."
    if notice.starts_at > now:
        return (
            f"It is scheduled: {audience} will see it from {format_when(notice.starts_at, user)}."
        )
    until = f" until {format_when(notice.ends_at, user)}" if notice.ends_at else ""
    return f"It is showing now to {audience}{until}."


def notice_list(request):
    """Every notice: in force now, scheduled, and past, with their actions."""
    refusal = _refuse(request)
    if refusal:
        return refusal
    groups = selectors.notices_for_management()
    return render(
        request,
        "forum/notice_list.html",
        {**groups, "zone": member_zone(request.user).key},
    )


class _NoticeFormView(View):
    template_name = "forum/notice_form.html"
    notice: Notice | None = None

    def dispatch(self, request, *args, **kwargs):
        return _refuse(request) or super().dispatch(request, *args, **kwargs)

    def form(self, request, data=None) -> NoticeForm:
        return NoticeForm(data, user=request.user, hosts=_hosts(request), notice=self.notice)

    def _render(self, request, form, status=200):
        context = {"form": form, "notice": self.notice, "zone": form.zone.key}
        return render(request, self.template_name, context, status=status)

    def get(self, request, **kwargs):
        return self._render(request, self.form(request))

    def post(self, request, **kwargs):
        form = self.form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = self.save(request, data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"{self.done} {_where_it_shows(notice, request.user)}")
                return redirect("forum:notice-list")
        return self._render(request, form, status=400)

    @staticmethod
    def service_kwargs(data) -> dict:
        return {
            "message": data["message"],
            "level": data["level"],
            "audience": data["audience"],
            "thread": data["thread"],
            "board": data["board"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "new_thread_title": data["new_thread_title"],
            "new_thread_board": data["new_thread_board"],
        }


class NoticeCreateView(_NoticeFormView):
    done = "Notice saved."

    def save(self, request, data) -> Notice:
        return services.notice_create(actor=request.user, **self.service_kwargs(data))


class NoticeEditView(_NoticeFormView):
    done = "Notice changed."

    def dispatch(self, request, notice_id: int):
        # Refuse before looking up, so non-admins learn nothing about which notices exist.
        refusal = _refuse(request)
        if refusal:
            return refusal
        self.notice = selectors.notice_get(notice_id=notice_id)
        return super().dispatch(request)

    def save(self, request, data) -> Notice:
        return services.notice_update(
            notice=self.notice, actor=request.user, **self.service_kwargs(data)
        )


class _NoticeConfirmView(View):
    """A page that shows the notice and asks once more before acting on it."""

    template_name: str

    def dispatch(self, request, notice_id: int):
        refusal = _refuse(request)
        if refusal:
            return refusal
        self.notice = selectors.notice_get(notice_id=notice_id)
        return super().dispatch(request)

    def get(self, request):
        notice = self.notice
        now = timezone.now()
        context = {
            "notice": notice,
            "zone": member_zone(request.user).key,
            "has_ended": notice.ends_at is not None and notice.ends_at <= now,
            "is_scheduled": notice.starts_at > now,
        }
        return render(request, self.template_name, context)


class NoticeEndView(_NoticeConfirmView):
    template_name = "forum/notice_end.html"

    def post(self, request):
        if services.notice_end(notice=self.notice, actor=request.user):
            messages.success(
                request,
                "Notice ended: it no longer shows on any page and is listed under “Earlier” "
                "on the status page.",
            )
        else:
            messages.info(request, "That notice had already ended, so nothing changed.")
        return redirect("forum:notice-list")


class NoticeDeleteView(_NoticeConfirmView):
    template_name = "forum/notice_delete.html"

    def post(self, request):
        services.notice_delete(notice=self.notice, actor=request.user)
        messages.success(
            request, "Notice deleted: it is gone from every page, the status page included."
        )
        return redirect("forum:notice-list")
