"""The table of the database cache used while Redis is away."""

from django.db import models


class OutageCacheEntry(models.Model):
    """The table of the database cache that stands in for Redis while Redis is unreachable
    (config.cache.DatabaseFallbackCache), so rate-limit counters — write and contact
    budgets, allauth's sign-in and sign-up limits — keep holding across every worker
    process during an outage. Django's cache API reads and writes it; nothing else does.
    The columns are the ones Django's database cache expects."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "porchlight_outage_cache"

    def __str__(self) -> str:
        return self.cache_key
