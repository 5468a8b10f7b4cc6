"""Sitewide notices: admins manage them in the site's own pages, members dismiss them,
and the page script refreshes them live.

The admins' pages refuse before anything is looked up: visitors to sign in, the one
check (``check_manage_notices``) for everyone else, so non-admins learn nothing about
which notices exist. The form views are CheckedFormViews: the service, back to the list
with a message saying where the notice shows; input errors re-render the form with
everything kept, each error next to its field; nothing is saved half-way (the service
creates the discussion thread in the notice's own transaction)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.timezones import member_zone
from config.views import CheckedFormView
from forum import selectors, services
from forum.forms import NoticeForm
from forum.models import Notice
from forum.permissions import check_dismiss_notice, check_manage_notices
from forum.selectors.board_choices import board_find
from forum.views.pages import safe_next
from moderation.formatting import format_when

AUDIENCE_PHRASES = {
    Notice.Audience.EVERYONE: _("everyone, visitors included"),
    Notice.Audience.MEMBERS: _("signed-in members"),
    Notice.Audience.STAFF: _("staff and moderators"),
    Notice.Audience.BOARD: _("readers of the {board} board"),
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
    audience = str(AUDIENCE_PHRASES[notice.audience]).format(
        board=notice.board.name if notice.board_id else ""
    )
    now = timezone.now()
    if notice.ends_at is not None and notice.ends_at <= now:
        return gettext(
            "It has already ended, so it is listed only under “Earlier” on the status page."
        )
    if notice.starts_at > now:
        return gettext("It is scheduled: %(audience)s will see it from %(when)s.") % {
            "audience": audience,
            "when": format_when(notice.starts_at, user),
        }
    if notice.ends_at:
        return gettext("It is showing now to %(audience)s until %(when)s.") % {
            "audience": audience,
            "when": format_when(notice.ends_at, user),
        }
    return gettext("It is showing now to %(audience)s.") % {"audience": audience}


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


class _AdminsOnly:
    """Visitors sign in; anyone else is asked the check before anything is looked up."""

    def dispatch(self, request, *args, **kwargs):
        refusal = _refuse(request)
        if refusal:
            return refusal
        return super().dispatch(request, *args, **kwargs)


class _NoticeFormView(_AdminsOnly, CheckedFormView):
    template_name = "forum/notice_form.html"
    form_class = NoticeForm
    refusal_shows_form = False
    notice: Notice | None = None

    def check(self, user) -> None:
        check_manage_notices(user)

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user, "hosts": _hosts(self.request), "notice": self.notice}

    def get_context_data(self, **context) -> dict:
        return {"notice": self.notice, "zone": context["form"].zone.key, **context}

    def done(self, notice):
        messages.success(
            self.request, f"{self.done_text} {_where_it_shows(notice, self.request.user)}"
        )
        return redirect("forum:notice-list")

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
    done_text = _("Notice saved.")

    def act(self, form) -> Notice:
        return services.notice_create(
            actor=self.request.user, **self.service_kwargs(form.cleaned_data)
        )


class NoticeEditView(_NoticeFormView):
    done_text = _("Notice changed.")

    def load(self, request, *, notice_id: int) -> None:
        self.notice = selectors.notice_get(notice_id=notice_id)

    def act(self, form) -> Notice:
        return services.notice_update(
            notice=self.notice, actor=self.request.user, **self.service_kwargs(form.cleaned_data)
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
                gettext(
                    "Notice ended: it no longer shows on any page and is listed under “Earlier” "
                    "on the status page."
                ),
            )
        else:
            messages.info(request, gettext("That notice had already ended, so nothing changed."))
        return redirect("forum:notice-list")


class NoticeDeleteView(_NoticeConfirmView):
    template_name = "forum/notice_delete.html"

    def post(self, request):
        services.notice_delete(notice=self.notice, actor=request.user)
        messages.success(
            request,
            gettext("Notice deleted: it is gone from every page, the status page included."),
        )
        return redirect("forum:notice-list")


# --- Every reader's side ------------------------------------------------------------------


def notices_fragment(request):
    """The notices block for a page, for live refreshes (no layout). ``?board=<slug>``
    gives the notices of that board's pages."""
    slug = request.GET.get("board")
    if slug:
        request.current_board = board_find(slug=slug)
    return render(request, "includes/notices.html")


@require_POST
def notice_dismiss(request, notice_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or "/")
    check_dismiss_notice(request.user)
    notice = selectors.notice_get(notice_id=notice_id)
    try:
        services.notice_dismiss(notice=notice, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    # Not redirect(): it would try a bare word such as "0" as a URL name and fail.
    return HttpResponseRedirect(safe_next(request))
