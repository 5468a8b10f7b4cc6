"""The review queue's reads."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from forum.models import Board
from moderation.models import (
    ReviewItem,
)


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
