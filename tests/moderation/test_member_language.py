"""What moderation tells a member is written once (stored in their inbox, emailed), so it is
written in the member's language, whoever acted and whatever language the moderator reads;
and the moderation pages follow the reader's language."""

from django.core import mail
from django.utils import translation

from accounts.models import User
from moderation.models import MemberMessage
from moderation.permissions import block_message
from moderation.selectors import active_block
from moderation.services import block_create, flag_create, review_item_decide
from tests.moderation.service_helpers import (
    clock_fixture,  # noqa: F401 - fixture "clock"
    fresh,
    set_time_zone,
)
from tests.task_runner import run_ready_tasks


def _speaks(user, language: str) -> User:
    User.objects.filter(pk=user.pk).update(language=language)
    return fresh(user)


def _block(moderator, member):
    return block_create(
        actor=moderator,
        member=member,
        duration="1d",
        rule_codes=["G3"],
        reason="Insulted another member.",
    )


def test_a_french_member_is_told_of_a_block_in_french_in_the_inbox_and_by_email(
    guidelines, moderator, member, clock, django_capture_on_commit_callbacks
):
    set_time_zone(member, "Europe/Paris")
    member = _speaks(member, "fr")
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        _block(moderator, member)
    run_ready_tasks()
    message = MemberMessage.objects.get(recipient=member)
    assert message.subject == "Votre compte ne peut plus publier"
    for text in (message.body, mail.outbox[0].body):
        assert text.startswith("Les modérateurs ont empêché votre compte de publier")
        assert "selon la règle G3 (Argue with ideas, not with people)" in text
        assert "Motif : Insulted another member." in text
        assert "jusqu’au 3 mar 2026, 13:00 (Europe/Paris)" in text
        assert "vous pouvez faire appel une fois" in text
        assert "Moderators" not in text
    assert mail.outbox[0].subject.endswith("Votre compte ne peut plus publier")


def test_a_member_without_a_language_is_told_in_the_sites_language_not_the_moderators(
    guidelines, moderator, member
):
    with translation.override("fr"):
        _block(moderator, member)
    message = MemberMessage.objects.get(recipient=member)
    assert message.subject == "Your account is blocked from posting"
    assert message.body.startswith("Moderators blocked your account from posting")


def test_each_flagger_hears_the_outcome_in_their_own_language(
    guidelines, moderator, make_user, thread
):
    post = thread.posts.get()
    french = _speaks(make_user("camille"), "fr")
    english = _speaks(make_user("kai"), "en-gb")
    flag = flag_create(flagger=french, post=post, reason="spam")
    flag_create(flagger=english, post=post, reason="spam")
    with translation.override("fr"):
        review_item_decide(actor=moderator, item=flag.review_item, decision="approve")
    to_french = MemberMessage.objects.get(recipient=french)
    to_english = MemberMessage.objects.get(recipient=english)
    assert to_french.subject == "Les modérateurs ont examiné un message que vous avez signalé"
    assert to_french.body.endswith("Ils l’ont jugé conforme à la charte, il reste donc en ligne.")
    assert to_english.subject == "Moderators looked at a post you flagged"
    assert to_english.body.endswith("They found it within the guidelines, so it stays up.")


def test_the_block_notice_is_shown_in_the_language_of_the_page(guidelines, moderator, member):
    _block(moderator, member)
    block = active_block(member.pk)
    with translation.override("fr"):
        notice = block_message(fresh(member), block)
    assert notice.startswith("Votre compte ne peut plus publier jusqu’au ")
    assert "selon la règle G3" in notice
    assert "Vous pouvez toujours lire, vous connecter" in notice
    assert block_message(fresh(member), block).startswith(
        "Your account is blocked from posting until "
    )


def test_the_review_queue_follows_the_moderators_language(client, moderator):
    client.force_login(_speaks(moderator, "fr"))
    html = client.get("/moderation/queue/").content.decode()
    assert "<h1>File de revue</h1>" in html
    assert "Rien n’attend d’examen." in html
    client.force_login(_speaks(moderator, "en-gb"))
    html = client.get("/moderation/queue/").content.decode()
    assert "<h1>Review queue</h1>" in html
