from django.shortcuts import get_object_or_404

from moderation.models import GuidelineVersion


def guidelines_current() -> GuidelineVersion | None:
    return GuidelineVersion.objects.prefetch_related("rules").order_by("-number").first()


def guidelines_version(*, number: int) -> GuidelineVersion:
    return get_object_or_404(GuidelineVersion.objects.prefetch_related("rules"), number=number)


def guidelines_versions() -> list[GuidelineVersion]:
    return list(GuidelineVersion.objects.order_by("-number").only("number", "published_at"))
