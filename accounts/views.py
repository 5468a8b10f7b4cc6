"""The "Your data" settings page: a member's data export (asking, progress, download)
and deleting their account. Reachable by every signed-in member, blocked or banned
ones too: they are promised both."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.deletion import account_deletion_request, deletion_due_at, grace_period
from accounts.exports import (
    export_download_url,
    export_id_from_token,
    export_is_expired,
    export_next_allowed_at,
    export_request,
)
from accounts.forms_account import AccountDeleteForm, DataExportRequestForm
from accounts.permissions import require_signed_in
from accounts.selectors import data_export_get_for_owner, data_export_latest
from config.views import CheckedFormView

ACTION_EXPORT = gettext_lazy("asking for a copy of your data")
ACTION_DELETE = gettext_lazy("deleting your account")


def _data_context(request, **context) -> dict:
    user = request.user
    now = timezone.now()
    export = data_export_latest(user=user)
    state = ""
    if export is not None:
        state = "expired" if export_is_expired(export, now=now) else export.status
    return {
        "export": export,
        "export_state": state,
        "export_url": export_download_url(export) if state == "ready" else "",
        "export_next_at": export_next_allowed_at(user=user, now=now),
        "export_expiry_days": settings.DATA_EXPORT_EXPIRY_DAYS,
        "export_interval_hours": settings.DATA_EXPORT_INTERVAL_HOURS,
        "grace_days": grace_period().days,
        "allow_erase_posts": settings.ACCOUNT_DELETION_ALLOW_ERASE_POSTS,
        **context,
    }


class DataPageView(CheckedFormView):
    """GET: the page. POST: ask for an export."""

    template_name = "accounts/data.html"
    form_class = DataExportRequestForm

    def check(self, user) -> None:
        require_signed_in(user, action=ACTION_EXPORT)

    def get_context_data(self, **context) -> dict:
        return _data_context(self.request, **context)

    def act(self, form):
        return export_request(user=self.request.user)

    def done(self, result):
        messages.success(
            self.request,
            _(
                "Your export is being built. We will tell you here, in your Messages and by "
                "email when it is ready to download."
            ),
        )
        return redirect("accounts:data")


@never_cache
def data_export_download(request, token: str):
    """The ZIP, for its owner only: a link another member opens is a 404, a visitor is
    asked to sign in first, and an expired link says so."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    export_id = export_id_from_token(token)
    export = data_export_get_for_owner(export_id=export_id, user=request.user)
    if export is None:
        raise Http404(_("There is no export at this address for your account."))
    if export_is_expired(export) or export.status != export.Status.READY:
        return render(
            request, "accounts/data_export_expired.html", _data_context(request), status=410
        )
    day = timezone.localdate(export.ready_at).isoformat()
    response = FileResponse(
        default_storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"porchlight-export-{day}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class AccountDeleteView(CheckedFormView):
    template_name = "accounts/account_delete.html"
    form_class = AccountDeleteForm

    def check(self, user) -> None:
        require_signed_in(user, action=ACTION_DELETE)

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_context_data(self, **context) -> dict:
        return _data_context(self.request, **context)

    def act(self, form):
        return account_deletion_request(
            user=self.request.user, erase_posts=form.cleaned_data.get("erase_posts", False)
        )

    def done(self, result):
        due = deletion_due_at(result)
        logout(self.request)
        messages.success(
            self.request,
            _(
                "You are signed out, and your account will be deleted on %(when)s. Changed "
                "your mind? Sign in before then and it stays."
            )
            % {"when": formats.date_format(timezone.localtime(due), "DATETIME_FORMAT")},
        )
        return redirect("forum:board-index")
