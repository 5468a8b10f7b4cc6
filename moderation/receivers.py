"""Keeping the spam settings' cached copies true: the policy and the watched words are
read from the shared cache on every post, so a change clears that copy now (this process
sees it at once) and again after commit (another process may have cached the old rows in
between). Connected in ``ModerationConfig.ready``."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from moderation.models import SpamPolicy, WatchedWord
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
