"""Guideline rules as moderation cites them, and the fixed choices of moderation forms."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.models import GuidelineRule, GuidelineVersion

BLOCK_DURATIONS: dict[str, tuple[str, timedelta | None]] = {
    "1h": (gettext_lazy("1 hour"), timedelta(hours=1)),
    "1d": (gettext_lazy("1 day"), timedelta(days=1)),
    "3d": (gettext_lazy("3 days"), timedelta(days=3)),
    "7d": (gettext_lazy("7 days"), timedelta(days=7)),
    "30d": (gettext_lazy("30 days"), timedelta(days=30)),
    "lifted": (gettext_lazy("until lifted"), None),
}
# The suggestion steps up with blocks in the last six months, and steps back down as
# they age out of that window.
SUGGESTION_LADDER = ["1d", "3d", "7d", "30d"]
SUGGESTION_WINDOW = timedelta(days=182)
SLOW_MODE_MINUTES = (1, 1440)
FLAG_TEXT_LENGTH = (10, 500)
APPEAL_TEXT_LENGTH = (20, 2000)


def current_rules() -> dict[str, GuidelineRule]:
    version = GuidelineVersion.objects.order_by("-number").first()
    if version is None:
        return {}
    return {rule.code: rule for rule in version.rules.all()}


def clean_rule_codes(codes, *, required: bool = True, field: str = "rules") -> list[str]:
    """Normalise and check cited codes against the current guidelines."""
    if codes is None:
        codes = []
    if isinstance(codes, str):
        codes = codes.replace(",", " ").split()
    wanted = []
    for code in codes:
        code = str(code or "").strip().upper()
        if code and code not in wanted:
            wanted.append(code)
    if not wanted:
        if required:
            raise ValidationError(
                {field: _("Cite at least one guideline rule (G1, G2…) so the member knows why.")}
            )
        return []
    known = current_rules()
    unknown = [code for code in wanted if code not in known]
    if unknown:
        choices = ", ".join(known) or _("none published yet")
        raise ValidationError(
            {
                field: _("There is no rule %(codes)s in the current guidelines (%(choices)s).")
                % {"codes": ", ".join(unknown), "choices": choices}
            }
        )
    return wanted


def encode_rule_codes(codes: list[str]) -> str:
    return f",{','.join(codes)}," if codes else ""
