"""The review queue for moderators (moderation.views.queue over JSON), with the moderate
scope: the open items as the queue page lists them — its filters, oldest first, or the
decided ones newest first — and deciding one item through the queue's check, form and
service. Nothing is applied twice: the service locks the item row, and an item someone
decided a moment ago answers 409."""

from collections import Counter
from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Schema, Status
from ninja.errors import HttpError

from forum.api.pagination import PageParams, page_of, paginate
from forum.api.routers import review as router
from forum.api.writing import requires, submit
from forum.schemas import MemberRef, PostOut
from moderation import selectors
from moderation.filters.queue import ReviewItemFilter
from moderation.forms.queue import ReviewDecisionForm
from moderation.models import Flag, ReviewItem
from moderation.permissions import check_moderate, check_review_decision
from moderation.views.queue import DECISION_FIELDS, decide_from_form


class FlagReasonOut(Schema):
    # "rule" (with rule_code), "spam" or "other".
    reason: str
    rule_code: str


class ReviewItemOut(Schema):
    id: int
    # "flagged_post", "held_post" or "appeal".
    kind: str
    # "open", "escalated" or "decided".
    status: str
    created_at: datetime
    member: MemberRef
    # The post flagged or held; null for an appeal.
    post: PostOut | None
    flag_count: int
    # What the flags say, most common first ("G3 ×2", "Spam").
    flag_summary: list[str]
    claimed_by: MemberRef | None
    decision: str
    decided_at: datetime | None
    url: str

    @staticmethod
    def resolve_flag_summary(item) -> list[str]:
        counts = Counter(
            flag.rule_code if flag.reason == Flag.Reason.RULE else flag.get_reason_display()
            for flag in item.flags.all()
        )
        return [f"{label} ×{n}" if n > 1 else label for label, n in counts.most_common()]

    @staticmethod
    def resolve_url(item) -> str:
        return item.get_absolute_url()


class ReviewFilters(Schema):
    kind: str | None = None
    status: str | None = None
    # "me", "unclaimed" or "others".
    held: str | None = None
    # A board's slug.
    board: str | None = None
    decided: bool | None = None


class DecisionIn(Schema):
    # Flagged posts: approve, hide, block, spam. Held posts: approve, spam. Appeals:
    # uphold, reverse.
    decision: str | None = None
    # Guideline rule codes cited ("G3"); needed for every decision but approve.
    rules: list[str] | None = None
    # Blocking: 1h, 1d, 3d, 7d, 30d or forever.
    duration: str | None = None
    note: str | None = None
    # With "hide": block the author as well.
    also_block: bool = False


class DecisionOut(Schema):
    item: ReviewItemOut
    # The moderation log's row for the decision.
    action_id: int


@router.get(
    "",
    response=page_of(ReviewItemOut),
    summary="The review queue",
    description=(
        "Moderators, with the moderate scope. Open and escalated items oldest first, with "
        "the queue page's filters; decided=true lists decided items, newest decision first."
    ),
)
@requires("moderate")
def list_review_items(request, filters: Query[ReviewFilters], params: Query[PageParams]):
    check_moderate(request.user)
    data = {name: value for name, value in filters.dict().items() if value is not None}
    if "decided" in data:
        data["decided"] = "true" if data["decided"] else ""
    filterset = ReviewItemFilter(data, queryset=ReviewItem.objects.all(), request=request)
    if not filterset.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        )
    decided = filterset.shows_decided()
    items = selectors.review_items_with_flags(filterset.qs)
    ordering = ["-decided_at", "-pk"] if decided else ["created_at", "pk"]
    return paginate(
        items,
        ordering=ordering,
        kind="review-items:decided" if decided else "review-items:open",
        params=params,
    )


@router.post(
    "/{int:item_id}/decision",
    response={200: DecisionOut},
    summary="Decide a review item",
    description=(
        "Moderators, with the moderate scope, as on the item's page: refused while another "
        "moderator holds the item, and for a decision that would block a moderator. The "
        "member and those who flagged are told. 409 when the item was decided meanwhile."
    ),
)
@requires("moderate")
def decide_review_item(request, item_id: int, payload: DecisionIn):
    user = request.user
    # Moderators only before any lookup, so nothing says whether an item exists.
    check_moderate(user)
    item = selectors.review_item_get(item_id=item_id)
    data = payload.dict()
    form_data = {
        "decision": data["decision"] or "",
        "rules": data["rules"] or [],
        "duration": data["duration"] or "",
        "note": data["note"] or "",
        "also_block": "on" if data["also_block"] else "",
    }

    def act(form):
        return decide_from_form(form, item=item, actor=user)

    try:
        action = submit(
            request,
            check=lambda: check_review_decision(
                user, item, form_data["decision"], also_block=data["also_block"]
            ),
            form_class=ReviewDecisionForm,
            data=form_data,
            form_kwargs={"item": item},
            act=act,
            field_names=DECISION_FIELDS,
        )
    except ValidationError as exc:
        # Someone may have decided it meanwhile: a conflict, as on the item's page.
        if selectors.review_item_get(item_id=item.pk).status == ReviewItem.Status.DECIDED:
            raise HttpError(409, " ".join(exc.messages)) from None
        raise
    decided = selectors.review_items_with_flags(ReviewItem.objects.filter(pk=item.pk)).get()
    return Status(200, {"item": decided, "action_id": action.pk})
