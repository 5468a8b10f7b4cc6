"""Writes for moderation. Guidelines come first; flags, blocks and lockdowns follow (issue 3)."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from forum.markup import render_markdown
from moderation.models import GuidelineRule, GuidelineVersion

RULE_CODE = re.compile(r"^G[1-9][0-9]{0,2}$")


@dataclass(frozen=True)
class RuleDraft:
    code: str
    title: str
    body: str


@transaction.atomic
def guidelines_publish(*, actor, intro: str, rules: list[RuleDraft]) -> GuidelineVersion:
    """Publish a new version of the guidelines. Earlier versions are kept untouched."""
    if not rules:
        raise ValidationError("Guidelines need at least one rule.")
    codes = [rule.code for rule in rules]
    bad = [code for code in codes if not RULE_CODE.match(code)]
    if bad:
        raise ValidationError(f"Rule codes look like G1, G2…; these do not: {', '.join(bad)}.")
    if len(set(codes)) != len(codes):
        raise ValidationError("Each rule code may appear only once in a version.")
    latest = GuidelineVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
    version = GuidelineVersion.objects.create(
        number=latest + 1,
        intro=intro,
        intro_html=render_markdown(intro) if intro else "",
        published_at=timezone.now(),
        published_by=actor,
    )
    GuidelineRule.objects.bulk_create(
        GuidelineRule(
            version=version,
            code=rule.code,
            title=rule.title,
            body=rule.body,
            body_html=render_markdown(rule.body),
            position=index,
        )
        for index, rule in enumerate(rules, start=1)
    )
    return version
