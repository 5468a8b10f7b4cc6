"""Keeping the spam settings' cached copies true: the policy and the watched words are
read from the shared cache on every post, so a change clears that copy now (this process
sees it at once) and again after commit (another process may have cached the old rows in
between). Connected in ``ModerationConfig.ready``."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from accounts import signals as account_signals
from moderation.models import SpamPolicy, WatchedWord
from moderation.services.account_data import (
    export_ready_message,
    member_moderation_data_for_export,
)
from moderation.spam import policy, watched


def _forget_spam_settings(sender, **kwargs):
    key = policy.CACHE_KEY if sender is SpamPolicy else watched.CACHE_KEY
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def connect() -> None:
    for model in (SpamPolicy, WatchedWord):
        post_save.connect(
            _forget_spam_settings, sender=model, dispatch_uid=f"forget-{model.__name__}"
        )
        post_delete.connect(
            _forget_spam_settings, sender=model, dispatch_uid=f"forget-{model.__name__}-delete"
        )


def _member_data_export(sender, *, user, **kwargs) -> dict[str, str]:
    return member_moderation_data_for_export(user=user)


def _export_ready(sender, *, user, export, url, **kwargs) -> None:
    export_ready_message(user=user, export=export, url=url)


def connect_account_signals() -> None:
    """A member's export holds the moderation records about them; its readiness is told
    in their Messages. On deletion every moderation record stays, pointing at the same
    (now anonymous) account, so the log keeps its integrity: nothing to receive there."""
    account_signals.data_export_collect.connect(
        _member_data_export, dispatch_uid="moderation.member_data_export"
    )
    account_signals.data_export_ready.connect(_export_ready, dispatch_uid="moderation.export_ready")
