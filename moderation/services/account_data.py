"""What moderation holds about one member, for their data export, and the in-app notice
that an export is ready. Reached through ``accounts.signals``; connected in
``moderation.receivers``. Moderators' names and notes between moderators are not
exported: they are the moderators' records, not the member's."""

import json

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import DataExport, User
from moderation.models import Appeal, Flag, MemberMessage, ModerationAction
from moderation.selectors.guidelines import guideline_code_history


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _cited(codes: list[str], history: dict[str, tuple[int, str]]) -> list[dict]:
    return [
        {
            "code": code,
            "title": history[code][1] if code in history else "",
            "guidelines_version": history[code][0] if code in history else None,
        }
        for code in codes
    ]


def member_moderation_data_for_export(*, user: User) -> dict[str, str]:
    """flags.json (flags the member made), moderation_actions.json (actions about them,
    each with the guideline rules it cites), appeals.json and messages.json."""
    history = guideline_code_history()
    flags = [
        {
            "post_id": flag.post_id,
            "reason": flag.reason,
            "rule": _cited([flag.rule_code], history) if flag.rule_code else [],
            "text": flag.text,
            "created_at": _iso(flag.created_at),
            "review_outcome": flag.review_item.decision or flag.review_item.status,
        }
        for flag in Flag.objects.filter(flagger=user).select_related("review_item").order_by("pk")
    ]
    actions = [
        {
            "id": action.pk,
            "action": action.kind,
            "action_words": action.get_kind_display(),
            "rules": _cited(action.rules, history),
            "note_to_you": action.note,
            "post_id": action.post_id,
            "thread_id": action.thread_id,
            "reverses": action.reverses_id,
            "created_at": _iso(action.created_at),
        }
        for action in ModerationAction.objects.filter(member=user).order_by("created_at", "pk")
    ]
    appeals = [
        {
            "action_id": appeal.action_id,
            "text": appeal.text,
            "status": appeal.status,
            "created_at": _iso(appeal.created_at),
        }
        for appeal in Appeal.objects.filter(member=user).order_by("pk")
    ]
    messages = [
        {"subject": m.subject, "body": m.body, "created_at": _iso(m.created_at)}
        for m in MemberMessage.objects.filter(recipient=user).order_by("created_at", "pk")
    ]

    def dump(value) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False)

    return {
        "flags.json": dump(flags),
        "moderation_actions.json": dump(actions),
        "appeals.json": dump(appeals),
        "messages.json": dump(messages),
    }


@transaction.atomic
def export_ready_message(*, user: User, export: DataExport, url: str) -> MemberMessage:
    """The in-app notice (the member's Messages) that their export can be downloaded."""
    return MemberMessage.objects.create(
        recipient=user,
        subject=_("Your data export is ready"),
        body=_(
            "Download it from the link below while signed in. It works only for you and "
            "expires on %(until)s."
        )
        % {"until": formats.date_format(timezone.localtime(export.expires_at), "DATETIME_FORMAT")},
        link=url,
        created_at=timezone.now(),
    )
