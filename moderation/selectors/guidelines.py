"""The published guidelines and the codes they have used."""

from django.shortcuts import get_object_or_404

from moderation.models import GuidelineRule, GuidelineVersion


def guidelines_current() -> GuidelineVersion | None:
    return GuidelineVersion.objects.prefetch_related("rules").order_by("-number").first()


def guidelines_version(*, number: int) -> GuidelineVersion:
    return get_object_or_404(GuidelineVersion.objects.prefetch_related("rules"), number=number)


def guidelines_versions() -> list[GuidelineVersion]:
    return list(GuidelineVersion.objects.order_by("-number").only("number", "published_at"))


def guideline_code_history() -> dict[str, tuple[int, str]]:
    """Every code any version has used → (the last version that had it, its title there).
    One query."""
    rows = GuidelineRule.objects.order_by("version__number").values_list(
        "code", "version__number", "title"
    )
    return {code: (number, title) for code, number, title in rows}
