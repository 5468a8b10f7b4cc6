import pytest
from django.core.exceptions import PermissionDenied

from moderation.models import Lockdown, ModerationAction
from moderation.permissions import check_flag_post
from moderation.services import lockdown_set, post_hide


def test_the_same_lockdown_submitted_twice_changes_nothing(thread, moderator, guidelines):
    args = {
        "actor": moderator,
        "thread": thread,
        "kind": "lock",
        "rule_codes": ["G3"],
        "reason": "Cooling down.",
    }
    first = lockdown_set(**args)
    assert isinstance(first, ModerationAction)
    assert lockdown_set(**args) is False
    assert Lockdown.objects.count() == 1
    assert ModerationAction.objects.count() == 1
    # A different lockdown still replaces it.
    assert lockdown_set(**{**args, "kind": "slow", "slow_minutes": 5})
    assert Lockdown.objects.filter(lifted_at__isnull=True).count() == 1


def test_a_hidden_post_cannot_be_flagged(thread, moderator, other_member, guidelines):
    post = thread.posts.get()
    post_hide(actor=moderator, post=post, rule_codes=["G3"])
    with pytest.raises(PermissionDenied) as exc:
        check_flag_post(other_member, post)
    assert "already hidden" in str(exc.value)


def test_log_links_find_their_row_on_any_page(client, thread, moderator, guidelines):
    action = post_hide(actor=moderator, post=thread.posts.get(), rule_codes=["G3"])
    url = action.get_absolute_url()
    assert url == f"/moderation/log/?action={action.pk}#action-{action.pk}"
    client.force_login(moderator)
    html = client.get(url).content.decode()
    assert f'id="action-{action.pk}"' in html
