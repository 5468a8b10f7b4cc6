"""The review queue's reads."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from forum.models import Board
from moderation.models import Flag, ReviewItem


def open_item_count() -> int:
    return ReviewItem.objects.exclude(status=ReviewItem.Status.DECIDED).count()


def review_items(filterset_qs: QuerySet | None = None) -> QuerySet[ReviewItem]:
    qs = filterset_qs if filterset_qs is not None else ReviewItem.objects.all()
    return qs.select_related(
        "post__thread__board",
        "post__author",
        "member",
        "claimed_by",
        "decided_by",
        "appeal__action__actor",
    ).annotate(flag_count=Count("flags"))


def review_items_with_flags(filterset_qs: QuerySet) -> QuerySet[ReviewItem]:
    """The queue's rows; the flags of a page come in one more query."""
    return review_items(filterset_qs).prefetch_related(
        Prefetch("flags", queryset=Flag.objects.only("pk", "review_item_id", "reason", "rule_code"))
    )


def queue_counts(user) -> dict[str, int]:
    """The numbers above the list, in one query."""
    Status = ReviewItem.Status
    return ReviewItem.objects.aggregate(
        open=Count("pk", filter=Q(status=Status.OPEN)),
        escalated=Count("pk", filter=Q(status=Status.ESCALATED)),
        mine=Count("pk", filter=Q(claimed_by=user) & ~Q(status=Status.DECIDED)),
        unclaimed=Count("pk", filter=Q(status=Status.OPEN, claimed_by__isnull=True)),
    )


def item_flags(item: ReviewItem) -> list[Flag]:
    return list(item.flags.select_related("flagger").order_by("created_at", "pk"))


def review_item_get(*, item_id: int) -> ReviewItem:
    return get_object_or_404(
        ReviewItem.objects.select_related(
            "post__thread__board",
            "post__author",
            "member",
            "claimed_by",
            "decided_by",
            "appeal__action__actor",
            "appeal__action__post",
            "action",
        ),
        pk=item_id,
    )


def boards_for_filter() -> QuerySet[Board]:
    return Board.objects.order_by("position", "name")
