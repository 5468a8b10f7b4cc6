"""The review queue: open items oldest first, one item's page, claim, release, decide,
escalate. Moderators only; visitors are sent to sign in, everyone else is refused.

Each write: moderators only (before any lookup, so nothing says whether an item exists),
look up the item, ask the one check, call the service, go back to the queue with a message.
A refusal re-renders the item with the reason (403); a service's ValidationError — say the
item was decided by someone else a moment ago — re-renders it with the message and
everything typed kept. Nothing is ever applied twice: the service locks the item row."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can, denial_reason
from config.views import CheckedFormView
from moderation import selectors, services
from moderation.filters import ReviewItemFilter
from moderation.formatting import format_when, rule_phrase
from moderation.forms.queue import EscalateForm, ReviewDecisionForm
from moderation.models import Flag, ModerationAction, ReviewItem
from moderation.permissions import (
    check_claim_item,
    check_decide_item,
    check_moderate,
    check_review_decision,
)
from moderation.rules import current_rules

ITEMS_PER_PAGE = 50
RECENT_HISTORY = 5
Decision = ReviewItem.Decision
Status = ReviewItem.Status
# A service names its own arguments; these are the decision form's fields for them.
DECISION_FIELDS = {"rule_codes": "rules", "reason": "note", "block_duration": "duration"}


def _moderators_only(request, *, next_url: str | None = None):
    """Visitors get a sign-in redirect (returned); signed-in non-moderators get the
    check's refusal (raised, so the 403 page says why)."""
    if not request.user.is_authenticated:
        return redirect_to_login(next_url or request.get_full_path())
    check_moderate(request.user)
    return None


def _item_url(item_id: int) -> str:
    return reverse("moderation:queue-item", kwargs={"item_id": item_id})


# --- Reads -----------------------------------------------------------------------------


def _flag_summary(flags) -> list[str]:
    """'G3 ×2', 'Spam', 'Something else' — what the flags say, most common first."""
    counts = Counter(
        flag.rule_code if flag.reason == Flag.Reason.RULE else flag.get_reason_display()
        for flag in flags
    )
    return [f"{label} ×{n}" if n > 1 else label for label, n in counts.most_common()]


def _flag_reason_words(flag: Flag, rules: dict) -> str:
    if flag.reason != Flag.Reason.RULE:
        return flag.get_reason_display()
    rule = rules.get(flag.rule_code)
    if rule:
        return _("Breaks %(code)s — %(title)s") % {"code": flag.rule_code, "title": rule.title}
    return _("Breaks %(code)s") % {"code": flag.rule_code}


def queue_list(request):
    gate = _moderators_only(request)
    if gate:
        return gate
    filterset = ReviewItemFilter(request.GET, queryset=ReviewItem.objects.all(), request=request)
    items = selectors.review_items_with_flags(filterset.qs)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.flag_reasons = _flag_summary(item.flags.all())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/queue_list.html",
        {
            "filter": filterset,
            "page": page,
            "items": page.object_list,
            "counts": selectors.queue_counts(request.user),
            "showing_decided": filterset.shows_decided(),
            "filter_query": query.urlencode(),
        },
    )


def _member_history(member) -> dict:
    return {
        "active_block": selectors.active_block(member.pk),
        "blocks_recently": selectors.blocks_in_last_six_months(member=member),
        "recent_actions": selectors.member_recent_actions(member=member, limit=RECENT_HISTORY),
    }


def _render_detail(
    request,
    item: ReviewItem,
    *,
    form: ReviewDecisionForm | None = None,
    escalate_form: EscalateForm | None = None,
    status: int = 200,
    denied_reason: str = "",
):
    user = request.user
    history = _member_history(item.member)
    suggested, suggestion_why = selectors.suggested_block_duration(member=item.member)
    decide_refusal = ""
    if item.status != Status.DECIDED:
        try:
            check_decide_item(user, item)
        except PermissionDenied as exc:
            decide_refusal = denial_reason(exc)
    # A refused POST keeps what was typed; a GET the check refuses shows the reason instead,
    # and a decided item shows its decision. Messages of a form no longer shown go on top.
    page_errors = []
    if item.status == Status.DECIDED:
        page_errors += form.non_field_errors() if form is not None else []
        form = None
    elif form is None and not decide_refusal:
        form = ReviewDecisionForm(item=item, suggested_duration=suggested)
    can_escalate = item.status == Status.OPEN and not decide_refusal
    if not can_escalate:
        page_errors += escalate_form.non_field_errors() if escalate_form is not None else []
        escalate_form = None
    elif escalate_form is None:
        escalate_form = EscalateForm(prefix="escalate")
    rules = current_rules()
    flags = selectors.item_flags(item)
    for flag in flags:
        flag.reason_words = _flag_reason_words(flag, rules)
    appealed = item.appeal.action if item.kind == ReviewItem.Kind.APPEAL else None
    context = {
        "item": item,
        "post": item.post,
        "flags": flags,
        "flag_reasons": _flag_summary(flags),
        "appealed": appealed,
        "appealed_rules": rule_phrase(appealed.rules) if appealed else "",
        "appealed_block_until": (
            format_when(appealed.block.ends_at, user)
            if appealed is not None and appealed.block_id and appealed.block.ends_at
            else ""
        ),
        "decided_rules": rule_phrase(item.rules) if item.rules else "",
        "member": item.member,
        "history": history,
        "suggestion_why": suggestion_why,
        "form": form,
        "escalate_form": escalate_form,
        "page_errors": page_errors,
        "decide_refusal": decide_refusal,
        "denied_reason": denied_reason,
        "can_claim": can(check_claim_item, user, item)
        and item.claimed_by_id is None
        and item.status != Status.DECIDED,
        "can_release": item.claimed_by_id == user.pk and item.status != Status.DECIDED,
    }
    return render(request, "moderation/queue_item.html", context, status=status)


def item_detail(request, item_id: int):
    gate = _moderators_only(request)
    if gate:
        return gate
    item = selectors.review_item_get(item_id=item_id)
    return _render_detail(request, item)


# --- Writes ----------------------------------------------------------------------------


def _write_gate(request, item_id: int):
    """Writes are POST only; a visitor is sent to sign in and brought back to the item."""
    return _moderators_only(request, next_url=_item_url(item_id))


def _holding_change(request, item_id: int, change) -> HttpResponse:
    """Claim and release share their gate, lookup and check; ``change(item)`` does the rest."""
    gate = _write_gate(request, item_id)
    if gate:
        return gate
    item = selectors.review_item_get(item_id=item_id)
    try:
        check_claim_item(request.user, item)
    except PermissionDenied as exc:
        return _render_detail(request, item, status=403, denied_reason=denial_reason(exc))
    change(item)
    return redirect(_item_url(item.pk))


@require_POST
def item_claim(request, item_id: int):
    def claim(item):
        try:
            changed = services.review_item_claim(actor=request.user, item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if changed:
                messages.success(
                    request, _("You hold this item now: other moderators see it is taken.")
                )
            else:
                messages.info(request, _("You already hold this item."))

    return _holding_change(request, item_id, claim)


@require_POST
def item_release(request, item_id: int):
    def release(item):
        if services.review_item_release(actor=request.user, item=item):
            messages.success(request, _("Released: any moderator can take this item now."))
        else:
            messages.info(request, _("You were not holding this item, so nothing changed."))

    return _holding_change(request, item_id, release)


def _blocked_words(item: ReviewItem, block) -> str:
    words = {"name": item.member.public_name, "rules": rule_phrase(block.rules)}
    if block.ends_at is None:
        return (
            _(
                "%(name)s is blocked from posting until a moderator lifts the block, under "
                "%(rules)s. They have been told why and how to appeal."
            )
            % words
        )
    return _(
        "%(name)s is blocked from posting until %(when)s, under %(rules)s. They have been "
        "told why and how to appeal."
    ) % {**words, "when": format_when(block.ends_at, item.member)}


def _decided_message(item: ReviewItem, action: ModerationAction, decision: str) -> str:
    member = item.member.public_name
    rules = rule_phrase(action.rules) if action.rules else ""
    words = {"name": member, "rules": rules}
    if decision == Decision.APPROVE and item.kind == ReviewItem.Kind.HELD_POST:
        text = _("Approved: the post is published and its readers notified as if it were new.")
    elif decision == Decision.APPROVE:
        text = _("Approved: the post stays up. Those who flagged it have been told.")
    elif decision == Decision.HIDE:
        text = (
            _("The post is hidden under %(rules)s. %(name)s has been told how to appeal.") % words
        )
    elif decision == Decision.BLOCK:
        text = _blocked_words(item, action.block)
    elif decision == Decision.SPAM:
        text = _("%(name)s's posts are hidden and the account is banned as spam.") % words
    elif decision == Decision.UPHOLD:
        text = _("Appeal upheld: the action stands. %(name)s has been told.") % words
    else:
        text = _("Appeal granted: the action was reversed. %(name)s has been told.") % words
    return _("Item #%(id)s decided.") % {"id": item.pk} + " " + text


def decision_also_blocks(form) -> bool:
    """ "Also block the author" counts only with "Hide the post"."""
    data = form.cleaned_data
    return bool(data.get("also_block")) and data["decision"] == Decision.HIDE


def decide_from_form(form, *, item: ReviewItem, actor) -> ModerationAction:
    """A valid decision form to the deciding service (the block's duration defaults to a
    day when the decision blocks no one). Shared by the item's page and the API."""
    data = form.cleaned_data
    return services.review_item_decide(
        actor=actor,
        item=item,
        decision=data["decision"],
        rule_codes=data.get("rules", []),
        note=data["note"],
        block_duration=data.get("duration") or "1d",
        also_block=decision_also_blocks(form),
    )


class _ItemWriteView(CheckedFormView):
    """A write on one item: moderators only before any lookup (so nothing says whether an
    item exists), the item page re-rendered with the reason or the errors."""

    http_method_names = ["post"]

    def load(self, request, *, item_id: int) -> None:
        if request.user.is_authenticated:
            check_moderate(request.user)
            self.item = selectors.review_item_get(item_id=item_id)
        self.item_id = item_id

    def login_next(self) -> str:
        return _item_url(self.item_id)


class ItemDecideView(_ItemWriteView):
    form_class = ReviewDecisionForm
    error_field_map = DECISION_FIELDS

    def check(self, user) -> None:
        post = self.request.POST
        check_review_decision(
            user, self.item, post.get("decision", ""), also_block=bool(post.get("also_block"))
        )

    def get_form_kwargs(self) -> dict:
        return {"item": self.item}

    def render_form(self, form, *, status: int = 200, reason: str = ""):
        return _render_detail(
            self.request, self.item, form=form, status=status, denied_reason=reason
        )

    def invalid_status(self, form) -> int:
        # Someone may have decided or claimed it meanwhile: show the item as it is now.
        self.item = selectors.review_item_get(item_id=self.item.pk)
        return 409 if self.item.status == Status.DECIDED else 400

    def act(self, form):
        self.decision = form.cleaned_data["decision"]
        self.also_block = decision_also_blocks(form)
        return decide_from_form(form, item=self.item, actor=self.request.user)

    def done(self, action):
        text = _decided_message(self.item, action, self.decision)
        if self.also_block:
            text += " " + _blocked_words(self.item, selectors.active_block(self.item.member_id))
        messages.success(self.request, text)
        return redirect("moderation:queue")


class ItemEscalateView(_ItemWriteView):
    form_class = EscalateForm

    def get_form_kwargs(self) -> dict:
        return {"prefix": "escalate"}

    def check(self, user) -> None:
        check_decide_item(user, self.item)

    def render_form(self, form, *, status: int = 200, reason: str = ""):
        return _render_detail(
            self.request, self.item, escalate_form=form, status=status, denied_reason=reason
        )

    def invalid_status(self, form) -> int:
        self.item = selectors.review_item_get(item_id=self.item.pk)
        return 400

    def act(self, form):
        return services.review_item_escalate(
            actor=self.request.user, item=self.item, note=form.cleaned_data["note"]
        )

    def done(self, action):
        messages.success(
            self.request,
            _("Item #%(id)s is escalated: it waits for an admin to decide.") % {"id": self.item.pk},
        )
        return redirect("moderation:queue")


item_decide = ItemDecideView.as_view()
item_escalate = ItemEscalateView.as_view()
