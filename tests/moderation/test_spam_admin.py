"""Admins manage the blocked-domain list in Django admin; what the filter learned is
visible there but only moderators' decisions change it."""

import pytest
from django.urls import reverse

from moderation.models import BlockedDomain, SpamTokenCount
from moderation.spam.scoring import spam_score
from moderation.spam.training import spam_filter_learn

pytestmark = pytest.mark.django_db


def test_an_admin_blocks_a_domain_by_pasting_a_link(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:moderation_blockeddomain_add"),
        {"domain": "  https://www.Cheap-Pills.biz/buy?x=1 ", "note": "pill spam"},
    )
    assert response.status_code == 302
    assert list(BlockedDomain.objects.values_list("domain", flat=True)) == ["cheap-pills.biz"]
    verdict = spam_score(
        title="Export stops halfway",
        body="See https://shop.cheap-pills.biz for details.",
        author_age_days=400,
        author_posts=60,
        use_akismet=False,
    )
    assert verdict.spam


def test_something_that_is_not_a_domain_is_refused_with_the_text_kept(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:moderation_blockeddomain_add"), {"domain": "cheap pills", "note": ""}
    )
    assert response.status_code == 200
    assert "is not a domain. Enter one like cheap-pills.biz" in response.content.decode()
    assert 'value="cheap pills"' in response.content.decode()
    assert not BlockedDomain.objects.exists()


def test_learned_counts_are_listed_read_only(client, admin_user, moderator):
    spam_filter_learn(title="", body="aged gmail accounts", is_spam=True, actor=moderator)
    client.force_login(admin_user)
    response = client.get(reverse("admin:moderation_spamtokencount_changelist"))
    assert response.status_code == 200
    assert "gmail" in response.content.decode()
    row = SpamTokenCount.objects.get(token="gmail")
    change = client.post(
        reverse("admin:moderation_spamtokencount_change", args=[row.pk]),
        {"token": "gmail", "spam": 0, "ham": 99},
    )
    assert change.status_code == 403
    row.refresh_from_db()
    assert (row.spam, row.ham) == (1, 0)
