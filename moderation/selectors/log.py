"""The moderation log and the public transparency counts."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from accounts.models import User
from moderation.models import APPEALABLE, ModerationAction


def actions() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related(
        "actor", "member", "post__thread", "thread", "board", "reverses", "reversed_by"
    )


def action_get(*, action_id: int) -> ModerationAction:
    return get_object_or_404(actions(), pk=action_id)


def action_actors() -> QuerySet[User]:
    """Everyone who has ever acted, not only today's moderators: a demoted moderator's
    actions stay in the log and must stay findable."""
    return User.objects.filter(
        pk__in=ModerationAction.objects.values("actor_id").distinct()
    ).order_by("username")


def transparency_counts() -> list[dict]:
    """Actions per rule per month, counted without any personal data."""
    rows = (
        ModerationAction.objects.exclude(rule_codes="")
        .annotate(month=TruncMonth("created_at"))
        .values("month", "kind", "rule_codes")
        .annotate(n=Count("pk"))
        .order_by("-month")
    )
    totals: dict[tuple, int] = {}
    for row in rows:
        for code in [c for c in row["rule_codes"].split(",") if c]:
            key = (row["month"], code, row["kind"])
            totals[key] = totals.get(key, 0) + row["n"]
    labels = dict(ModerationAction.Kind.choices)
    return [
        {"month": month, "rule": code, "kind": labels.get(kind, kind), "count": count}
        for (month, code, kind), count in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1], item[0][2]), reverse=True
        )
    ]


def member_recent_actions(*, member, limit: int) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.filter(member=member)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def action_get_for_member(*, member, action_id: int) -> ModerationAction:
    """An appealable action against this member, or 404 — the same for missing and for
    someone else's (CONVENTIONS rule 4)."""
    return get_object_or_404(
        ModerationAction.objects.select_related("block", "post__thread", "thread", "board"),
        pk=action_id,
        member=member,
        kind__in=APPEALABLE,
    )
