"""Staff's saved replies: create, change, delete, count uses. A reply without an owner
is the whole team's. Callers asked ``check_manage_saved_reply`` (or
``check_use_saved_replies`` for counting a use)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from forum import ratelimit
from forum.models import SavedReply
from forum.models.staff import SAVED_REPLY_BODY_MAX, SAVED_REPLY_TITLE_MAX

# Bounds what the picker reads on every staff thread page.
SAVED_REPLIES_MAX = 200


def _validate(*, title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = gettext("Give it a short title, so you can find it in the list.")
    elif len(title) > SAVED_REPLY_TITLE_MAX:
        errors["title"] = gettext(
            "Keep the title to %(max)s characters (this one has %(count)s)."
        ) % {"max": SAVED_REPLY_TITLE_MAX, "count": len(title)}
    if not (body or "").strip():
        errors["body"] = gettext("Write the reply's text.")
    elif len(body) > SAVED_REPLY_BODY_MAX:
        errors["body"] = gettext(
            "Keep the reply to %(max)s characters (this one has %(count)s)."
        ) % {"max": SAVED_REPLY_BODY_MAX, "count": len(body)}
    if errors:
        raise ValidationError(errors)
    return title, body


def _require_room(*, owner: User | None, excluding: int | None = None) -> None:
    existing = SavedReply.objects.filter(owner=owner).exclude(pk=excluding).count()
    if existing >= SAVED_REPLIES_MAX:
        raise ValidationError(
            {
                "scope": gettext(
                    "There are %(max)s saved replies here already, the most we keep. Delete "
                    "one you no longer use first."
                )
                % {"max": SAVED_REPLIES_MAX}
            }
        )


@transaction.atomic
def saved_reply_create(*, actor: User, title: str, body: str, personal: bool) -> SavedReply:
    """A new saved reply: the actor's own when ``personal``, else the team's. Refuses,
    keyed to the field, an empty or over-long title or body, and more than
    ``SAVED_REPLIES_MAX`` replies in one list."""
    title, body = _validate(title=title, body=body)
    owner = actor if personal else None
    _require_room(owner=owner)
    now = timezone.now()
    saved_reply = SavedReply.objects.create(
        owner=owner, title=title, body=body, created_by=actor, created_at=now, updated_at=now
    )
    transaction.on_commit(lambda: ratelimit.record_write(actor.pk))
    return saved_reply


@transaction.atomic
def saved_reply_update(
    *, saved_reply: SavedReply, actor: User, title: str, body: str, personal: bool
) -> SavedReply:
    """Change the text, the title or who it is for (making a team reply personal makes it
    the actor's). Returns the reply as saved."""
    title, body = _validate(title=title, body=body)
    owner = actor if personal else None
    if owner != saved_reply.owner:
        _require_room(owner=owner, excluding=saved_reply.pk)
    saved_reply.title, saved_reply.body, saved_reply.owner = title, body, owner
    saved_reply.updated_at = timezone.now()
    saved_reply.save(update_fields=["title", "body", "owner", "updated_at"])
    transaction.on_commit(lambda: ratelimit.record_write(actor.pk))
    return saved_reply


@transaction.atomic
def saved_reply_delete(*, saved_reply: SavedReply, actor: User) -> bool:
    """Remove it for good: a saved reply is a staff tool, not something a member wrote;
    replies already posted with it keep their text. False when it was already gone."""
    deleted, _ = SavedReply.objects.filter(pk=saved_reply.pk).delete()
    if deleted:
        transaction.on_commit(lambda: ratelimit.record_write(actor.pk))
    return bool(deleted)


def saved_reply_record_use(*, saved_reply: SavedReply) -> None:
    """One more use, counted in the database so simultaneous inserts all count."""
    SavedReply.objects.filter(pk=saved_reply.pk).update(use_count=F("use_count") + 1)
