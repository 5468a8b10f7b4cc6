"""Who on the team looks after a thread.

Callers ask ``check_assign_thread`` (forum.permissions) first. Both verbs lock the thread
row, write only the assignment columns and return False when nothing changed. Members
never learn of an assignment: no event line, no live event, no feed entry, and the
pages members read do not change, so no stored page is replaced.

    thread_assign(thread=, assignee=, actor=) -> bool
    thread_unassign(thread=, actor=) -> bool
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from forum import ratelimit
from forum.models import Thread
from forum.selectors.assignment import is_assignable
from forum.services import notifications

_FIELDS = ["assignee", "assigned_at", "assigned_by"]


def _locked(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().only("pk", *_FIELDS).get(pk=thread.pk)


def _copy_to(thread: Thread, locked: Thread) -> None:
    # The caller's copy shows the new state (the page it returns to reads it afresh).
    for field in ("assignee_id", "assigned_at", "assigned_by_id"):
        setattr(thread, field, getattr(locked, field))


@transaction.atomic
def thread_assign(*, thread: Thread, assignee: User, actor: User) -> bool:
    """Assign the thread to ``assignee`` — the actor or a colleague (an active employee,
    moderator or admin; anyone else raises ValidationError keyed ``assignee``). A new
    assignee other than the actor is notified once, in-app and by email as they chose.
    Atomic with the thread row locked; False when it already was theirs."""
    if not is_assignable(assignee):
        raise ValidationError(
            {
                "assignee": gettext(
                    "%(name)s is not on the staff team, so they can't be assigned a thread. "
                    "Choose a colleague from the list."
                )
                % {"name": assignee.public_name}
            }
        )
    locked = _locked(thread)
    if locked.assignee_id == assignee.pk:
        _copy_to(thread, locked)
        return False
    locked.assignee = assignee
    locked.assigned_at = timezone.now()
    locked.assigned_by = actor
    locked.save(update_fields=_FIELDS)
    _copy_to(thread, locked)
    notifications.thread_assigned(thread=thread, assignee=assignee, actor=actor)
    transaction.on_commit(lambda: ratelimit.record_write(actor.pk))
    return True


@transaction.atomic
def thread_unassign(*, thread: Thread, actor: User) -> bool:
    """Leave the thread with nobody assigned. Nobody is notified. Atomic with the thread
    row locked; False when it had no assignee."""
    locked = _locked(thread)
    if locked.assignee_id is None:
        _copy_to(thread, locked)
        return False
    locked.assignee = None
    locked.assigned_at = None
    locked.assigned_by = None
    locked.save(update_fields=_FIELDS)
    _copy_to(thread, locked)
    transaction.on_commit(lambda: ratelimit.record_write(actor.pk))
    return True
