"""Publishing the community guidelines: each version is kept, never edited."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import pagecache
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
        raise ValidationError(_("Guidelines need at least one rule."))
    codes = [rule.code for rule in rules]
    bad = [code for code in codes if not RULE_CODE.match(code)]
    if bad:
        raise ValidationError(
            _("Rule codes look like G1, G2…; these do not: %(codes)s.") % {"codes": ", ".join(bad)}
        )
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Each rule code may appear only once in a version."))
    empty = [rule.code for rule in rules if not rule.title.strip() or not rule.body.strip()]
    if empty:
        raise ValidationError(
            _("Every rule needs a title and a text; missing for %(codes)s.")
            % {"codes": ", ".join(empty)}
        )
    # Lock the latest version row (aggregate() would silently drop FOR UPDATE); the unique
    # number catches the one race a lock cannot (two first versions at once).
    latest = (
        GuidelineVersion.objects.select_for_update()
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    ) or 0
    try:
        with transaction.atomic():
            version = GuidelineVersion.objects.create(
                number=latest + 1,
                intro=intro,
                intro_html=render_markdown(intro) if intro else "",
                published_at=timezone.now(),
                published_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Someone else published a new version at the same moment. Reload and try again.")
        ) from exc
    GuidelineRule.objects.bulk_create(
        GuidelineRule(
            version=version,
            code=rule.code,
            title=rule.title.strip(),
            body=rule.body.strip(),
            body_html=render_markdown(rule.body),
            position=index,
        )
        for index, rule in enumerate(rules, start=1)
    )
    # Banners and hidden-post notes quote the rules.
    pagecache.site_changed_on_commit()
    return version
