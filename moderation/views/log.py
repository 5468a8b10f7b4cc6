"""The moderation log (moderators), reversing an action from it, and the public
transparency summary."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can
from config.views import CheckedFormView
from moderation import selectors, services
from moderation.filters import ActionLogFilter
from moderation.forms.log import ActionReverseForm
from moderation.models import ModerationAction
from moderation.permissions import check_moderate, check_reverse_action
from moderation.rules import current_rules

LOG_PAGE_SIZE = 50
Kind = ModerationAction.Kind
# What reversing does, in the words the confirm page uses.
REVERSAL_EFFECT = {
    Kind.POST_HIDE: gettext_lazy("The post becomes visible again, unchanged. The author is told."),
    Kind.BLOCK: gettext_lazy(
        "The block is lifted now, if it is still in force; a block it replaced "
        "comes back if it would still be in force. The member is told."
    ),
    Kind.BLOCK_EXTEND: gettext_lazy(
        "The block's end goes back to what it was before the extension. The member is told."
    ),
    Kind.LOCK: gettext_lazy(
        "The lock is lifted; a lockdown it replaced comes back if it would still "
        "be in force. A thread's author is told."
    ),
    Kind.SLOW_MODE: gettext_lazy(
        "Slow mode is lifted; a lockdown it replaced comes back if it would "
        "still be in force. A thread's author is told."
    ),
    Kind.SPAM_DELETE: gettext_lazy(
        "The posts the spam deletion hid become visible again (not any hidden "
        "for another reason since), the ban is lifted, and a block the ban cut short comes back "
        "if it would still be in force. The member is told."
    ),
    Kind.HELD_APPROVE: gettext_lazy(
        "The post is hidden again and held for review, back in the queue as a "
        "new held-post item, and the filter forgets it was told the post is legitimate. "
        "Notifications sent when it was published are not taken back."
    ),
}


def log_url(action_id: int) -> str:
    """A link that finds one log row whatever page it has moved to."""
    return f"{reverse('moderation:log')}?action={action_id}#action-{action_id}"


def action_log(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_moderate(request.user)
    filterset = ActionLogFilter(request.GET or None, queryset=selectors.actions())
    # An invalid filter lists nothing rather than everything, so an unfiltered page
    # never passes for a filtered one; the errors sit next to the filter fields.
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    entries = [
        {
            "action": action,
            "can_reverse": can(check_reverse_action, user, action),
        }
        for action in page.object_list
    ]
    return render(
        request,
        "moderation/action_log.html",
        {
            "filterset": filterset,
            "filter_form": filterset.form,
            "page": page,
            "entries": entries,
            "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


class ActionReverseView(CheckedFormView):
    """Confirm, then undo an action through its normal reversal path (services.action_reverse).
    The reversal is a new log row pointing at the original."""

    template_name = "moderation/action_reverse.html"
    form_class = ActionReverseForm

    def load(self, request, *, action_id: int) -> None:
        self.action = selectors.action_get(action_id=action_id)

    def check(self, user) -> None:
        check_reverse_action(user, self.action)

    def get_context_data(self, **context) -> dict:
        return {
            "action": self.action,
            "effect": REVERSAL_EFFECT.get(self.action.kind, ""),
            "log_url": log_url(self.action.pk),
            **context,
        }

    def act(self, form):
        return services.action_reverse(
            actor=self.request.user, action=self.action, note=form.cleaned_data["note"]
        )

    def done(self, reversal):
        action = self.action
        if reversal is False:
            messages.info(
                self.request,
                _(
                    "Nothing to reverse: #%(id)s (%(kind)s) had already been undone or had run "
                    "out — for example the block had ended, the post was visible or the "
                    "lockdown was over. Nothing was changed and nothing was logged."
                )
                % {"id": action.pk, "kind": action.get_kind_display()},
            )
            return redirect(log_url(action.pk))
        messages.success(
            self.request,
            _("Reversed #%(id)s (%(kind)s). The log records it as #%(reversal)s.")
            % {
                "id": action.pk,
                "kind": action.get_kind_display().lower(),
                "reversal": reversal.pk,
            },
        )
        return redirect(log_url(reversal.pk))


def transparency(request):
    """Counts only: no names, ids or notes ever reach this page."""
    rules = current_rules()
    months: list[dict] = []
    for row in selectors.transparency_counts():  # newest month first
        if not months or months[-1]["month"] != row["month"]:
            months.append({"month": row["month"], "rows": []})
        rule = rules.get(row["rule"])
        months[-1]["rows"].append({**row, "rule_title": rule.title if rule else ""})
    for month in months:
        month["rows"].sort(key=lambda row: (_rule_number(row["rule"]), row["kind"]))
    return render(request, "moderation/transparency.html", {"months": months})


def _rule_number(code: str) -> int:
    digits = code.lstrip("G")
    return int(digits) if digits.isdigit() else 0
