"""What several moderation records share: the guideline rules they cite, and being in
force for a while."""

from django.conf import settings
from django.db import models


def rule_codes_field(**kwargs):
    """Cited rule codes, stored as ",G1,G3," so a rule can be matched with ``__contains``
    on every database."""
    return models.CharField(max_length=200, blank=True, default="", **kwargs)


class RuleCodesMixin(models.Model):
    rule_codes = rule_codes_field()

    class Meta:
        abstract = True

    @property
    def rules(self) -> list[str]:
        return [code for code in self.rule_codes.split(",") if code]


class InForceMixin(RuleCodesMixin):
    """Something moderators set for a while: in force from ``starts_at`` until ``ends_at``
    (or until lifted). Being in force is a comparison with the time, so nothing has to run
    at the instant it ends."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def is_active_at(self, when) -> bool:
        return (
            self.lifted_at is None
            and self.starts_at <= when
            and (self.ends_at is None or when < self.ends_at)
        )
