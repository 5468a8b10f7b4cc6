"""The moderation log: who may read it, its filters, reversing from it, its cost, and the
public transparency page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Post
from forum.services import post_create
from moderation import services
from moderation.models import Block, ModerationAction

LOG = "/moderation/log/"
# session, user, rule choices (version + rules), moderator choices, count, page of rows,
# and the layout's queue count, unread messages and own-block notice.
LOG_PAGE_MAX_QUERIES = 12  # includes the sitewide notices and the unread-notifications count


@pytest.fixture
def mod_client(client, moderator, guidelines):
    client.force_login(moderator)
    return client


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="action-(\d+)"', html)]


def reverse_url(action) -> str:
    return f"/moderation/log/{action.pk}/reverse/"


# --- Who may read it --------------------------------------------------------------------


def test_visitor_is_sent_to_sign_in(client, db):
    response = client.get(LOG)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_and_staff_cannot_read_the_log(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(LOG)
    assert response.status_code == 403
    assert "Only moderators" in response.content.decode()


# --- What it shows --------------------------------------------------------------------------


def test_log_lists_actions_newest_first_with_links(
    mod_client, moderator, admin_user, member, thread
):
    post = thread.posts.first()
    hide = services.post_hide(actor=moderator, post=post, rule_codes=["G3"], note="Insult.")
    restore = services.action_reverse(actor=admin_user, action=hide, note="It was a quote.")
    block = services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G1", "G3"], reason="Again."
    )
    html = mod_client.get(LOG).content.decode()
    assert row_ids(html) == [block.pk, restore.pk, hide.pk]
    row = html[html.index(f'<tr id="action-{hide.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Hid a post" in row and "Morgan" in row and "Insult." in row
    assert f'href="/moderation/members/{member.pk}/"' in row
    assert f'href="/p/{post.pk}/"' in row and "Export drops rows" in row
    assert f'href="{"/guidelines/"}#G3"' in row
    assert f'Reversed by <a href="?action={restore.pk}#action-{restore.pk}"' in row
    restore_row = html[html.index(f'<tr id="action-{restore.pk}"') :]
    assert f'Reverses <a href="?action={hide.pk}#action-{hide.pk}"' in restore_row
    block_row = html[html.index(f'<tr id="action-{block.pk}"') :]
    block_row = block_row[: block_row.index("</tr>")]
    assert "#G1" in block_row and "#G3" in block_row


def test_reverse_button_only_where_the_viewer_may_reverse(
    client, moderator, admin_user, member, other_member, thread, guidelines
):
    hide = services.post_hide(actor=moderator, post=thread.posts.first(), rule_codes=["G3"])
    spam = services.spam_delete(actor=moderator, member=other_member)
    restore = services.action_reverse(actor=moderator, action=hide)
    hide2 = services.post_hide(actor=moderator, post=thread.posts.first(), rule_codes=["G2"])
    client.force_login(moderator)
    html = client.get(LOG).content.decode()
    assert reverse_url(hide2) in html
    assert reverse_url(hide) not in html  # already reversed
    assert reverse_url(restore) not in html  # a reversal has no reversal
    assert reverse_url(spam) not in html  # admins only
    client.force_login(admin_user)
    assert reverse_url(spam) in client.get(LOG).content.decode()


def test_paginates_fifty_a_page_and_keeps_filters(mod_client, moderator, member, thread):
    posts = [post_create(thread=thread, author=member, body=f"Reply {i}") for i in range(52)]
    for post in posts:
        services.post_hide(actor=moderator, post=post, rule_codes=["G2"])
    html = mod_client.get(LOG + "?kind=post_hide").content.decode()
    assert len(row_ids(html)) == 50
    assert "Page 1 of 2" in html
    assert 'href="?kind=post_hide&amp;page=2"' in html
    page2 = mod_client.get(LOG + "?kind=post_hide&page=2").content.decode()
    assert len(row_ids(page2)) == 2


def test_log_queries_do_not_grow_with_rows(mod_client, moderator, admin_user, member, thread):
    def fill(n):
        for i in range(n):
            post = post_create(thread=thread, author=member, body=f"Reply {i}")
            hide = services.post_hide(actor=moderator, post=post, rule_codes=["G2"], note="x")
            if i % 2:
                services.action_reverse(actor=admin_user, action=hide)

    def count(url=LOG):
        with CaptureQueriesContext(connection) as ctx:
            response = mod_client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    filtered = f"{LOG}?rule=G2&kind=post_hide&member=jamie&date_from=2020-01-01"
    fill(2)
    few, few_filtered = count(), count(filtered)
    fill(30)
    many, many_filtered = count(), count(filtered)
    assert few == many <= LOG_PAGE_MAX_QUERIES
    assert few_filtered == many_filtered <= LOG_PAGE_MAX_QUERIES


# --- Filters --------------------------------------------------------------------------------


@pytest.fixture
def history(clock, moderator, admin_user, member, other_member, thread, make_thread):
    """Five actions over three days, by two moderators, against two members."""
    start = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    clock.set(start - timedelta(days=2))
    other_thread = make_thread(other_member, title="Other thread")
    hide_jamie = services.post_hide(actor=moderator, post=thread.posts.first(), rule_codes=["G3"])
    clock.set(start - timedelta(days=1))
    block_jamie = services.block_create(
        actor=admin_user, member=member, duration="1d", rule_codes=["G1"], reason="R"
    )
    hide_priya = services.post_hide(
        actor=admin_user, post=other_thread.posts.first(), rule_codes=["G3", "G5"]
    )
    clock.set(start)
    lock = services.lockdown_set(
        actor=moderator, kind="lock", rule_codes=["G2"], reason="Heated", thread=other_thread
    )
    block_priya = services.block_create(
        actor=moderator, member=other_member, duration="1h", rule_codes=["G3"], reason="R"
    )
    return {
        "start": start,
        "hide_jamie": hide_jamie,
        "block_jamie": block_jamie,
        "hide_priya": hide_priya,
        "lock": lock,
        "block_priya": block_priya,
    }


def _ids(history, *names):
    return sorted(history[name].pk for name in names)


def _filtered(client, query: str) -> list[int]:
    response = client.get(f"{LOG}?{query}")
    assert response.status_code == 200
    return sorted(row_ids(response.content.decode()))


def test_each_filter_narrows_the_log(mod_client, history, moderator, admin_user):
    day = lambda offset: (history["start"] + timedelta(days=offset)).date().isoformat()  # noqa: E731
    assert _filtered(mod_client, f"actor={moderator.pk}") == _ids(
        history, "hide_jamie", "lock", "block_priya"
    )
    assert _filtered(mod_client, f"actor={admin_user.pk}") == _ids(
        history, "block_jamie", "hide_priya"
    )
    assert _filtered(mod_client, "member=JAMIE") == _ids(history, "hide_jamie", "block_jamie")
    # A lock records the thread's author as the member it affects.
    assert _filtered(mod_client, "member=priya") == _ids(
        history, "hide_priya", "lock", "block_priya"
    )
    assert _filtered(mod_client, "rule=G3") == _ids(
        history, "hide_jamie", "hide_priya", "block_priya"
    )
    assert _filtered(mod_client, "rule=G5") == _ids(history, "hide_priya")
    assert _filtered(mod_client, "kind=block") == _ids(history, "block_jamie", "block_priya")
    assert _filtered(mod_client, f"date_from={day(-1)}") == _ids(
        history, "block_jamie", "hide_priya", "lock", "block_priya"
    )
    assert _filtered(mod_client, f"date_to={day(-1)}") == _ids(
        history, "hide_jamie", "block_jamie", "hide_priya"
    )
    assert _filtered(mod_client, f"date_from={day(-1)}&date_to={day(-1)}") == _ids(
        history, "block_jamie", "hide_priya"
    )
    assert _filtered(mod_client, f"action={history['lock'].pk}") == _ids(history, "lock")


def test_filters_combine(mod_client, history, moderator, admin_user):
    assert _filtered(mod_client, f"actor={moderator.pk}&rule=G3") == _ids(
        history, "hide_jamie", "block_priya"
    )
    assert _filtered(mod_client, f"actor={moderator.pk}&rule=G3&kind=block") == _ids(
        history, "block_priya"
    )
    day = history["start"].date().isoformat()
    assert _filtered(mod_client, f"member=priya&kind=post_hide&date_from={day}") == []
    assert _filtered(mod_client, f"actor={admin_user.pk}&member=jamie") == _ids(
        history, "block_jamie"
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=yesterday", "date_from", "Enter a date like"),
        ("date_from=2026-03-10&date_to=2026-03-01", "date_to", "must be on or after"),
        ("rule=G99", "rule", "Select a valid choice"),
        ("kind=explode", "kind", "Select a valid choice"),
        ("actor=987654", "actor", "Select a valid choice"),
    ],
)
def test_bad_filters_are_explained_next_to_the_field(mod_client, history, query, field, message):
    response = mod_client.get(f"{LOG}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    errors = html[html.index(f'id="id_{field}_error"') :]
    assert message in errors[: errors.index("</ul>")]
    assert row_ids(html) == []  # nothing listed that would look filtered but is not


def test_unknown_member_matches_nothing(mod_client, history):
    html = mod_client.get(f"{LOG}?member=nobody").content.decode()
    assert row_ids(html) == [] and "No entries match these filters" in html


# --- Reversing from the log -------------------------------------------------------------------


def test_reverse_a_hide_with_a_note(mod_client, moderator, member, thread):
    post = thread.posts.first()
    hide = services.post_hide(actor=moderator, post=post, rule_codes=["G3"])
    page = mod_client.get(reverse_url(hide)).content.decode()
    assert "The post becomes visible again" in page
    response = mod_client.post(reverse_url(hide), {"note": "Misread it."})
    reversal = ModerationAction.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}?action={reversal.pk}#action-{reversal.pk}"
    assert (reversal.kind, reversal.reverses, reversal.note) == (
        "post_restore",
        hide,
        "Misread it.",
    )
    assert not Post.objects.get(pk=post.pk).is_hidden
    html = mod_client.get(response["Location"]).content.decode()
    assert f"Reversed #{hide.pk}" in html and f"#{reversal.pk}" in html


def test_reverse_a_block_lifts_it(mod_client, moderator, member):
    block = services.block_create(
        actor=moderator, member=member, duration="7d", rule_codes=["G3"], reason="R"
    )
    mod_client.post(reverse_url(block), {"note": ""})
    assert Block.objects.get().lifted_at is not None
    assert ModerationAction.objects.get(kind="block_lift").reverses == block


def test_nothing_to_reverse_is_said_plainly(mod_client, moderator, member, clock):
    block = services.block_create(
        actor=moderator, member=member, duration="1h", rule_codes=["G3"], reason="R"
    )
    clock.advance(hours=2)
    mod_client.force_login(moderator)
    response = mod_client.post(reverse_url(block), {"note": ""}, follow=True)
    html = response.content.decode()
    assert "Nothing to reverse" in html and "Nothing was changed" in html
    assert ModerationAction.objects.count() == 1


def test_a_reversal_the_service_refuses_is_explained_on_the_form(mod_client, moderator, member):
    services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="R"
    )
    first = services.block_create(
        actor=moderator,
        member=member,
        duration="3d",
        rule_codes=["G3"],
        reason="Again",
        on_existing="extend",
    )
    services.block_create(
        actor=moderator,
        member=member,
        duration="7d",
        rule_codes=["G3"],
        reason="And again",
        on_existing="extend",
    )
    ends_at = Block.objects.get().ends_at
    response = mod_client.post(reverse_url(first), {"note": "Too long"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "reverse the later change first" in html and "Too long" in html
    assert Block.objects.get().ends_at == ends_at
    assert not ModerationAction.objects.filter(kind="block_lift").exists()


def test_moderators_cannot_reverse_a_spam_deletion_admins_can(
    client, moderator, admin_user, member, thread, guidelines
):
    spam = services.spam_delete(actor=moderator, member=member)
    client.force_login(moderator)
    assert client.get(reverse_url(spam)).status_code == 403
    response = client.post(reverse_url(spam), {"note": "Please"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only an admin can reverse a spam deletion." in html and "Please" in html
    assert Post.objects.filter(author=member, is_hidden=True).exists()
    client.force_login(admin_user)
    assert client.get(reverse_url(spam)).status_code == 200
    assert client.post(reverse_url(spam), {"note": "Real person."}).status_code == 302
    assert not Post.objects.filter(author=member, is_hidden=True).exists()
    assert Block.objects.get(kind="ban").lifted_at is not None
    assert ModerationAction.objects.get(kind="spam_restore").reverses == spam


def test_an_action_is_reversed_once(mod_client, moderator, thread):
    hide = services.post_hide(actor=moderator, post=thread.posts.first(), rule_codes=["G3"])
    services.action_reverse(actor=moderator, action=hide)
    response = mod_client.post(reverse_url(hide), {"note": ""})
    assert response.status_code == 403
    assert "already been reversed" in response.content.decode()
    assert ModerationAction.objects.count() == 2


def test_a_reversal_itself_cannot_be_reversed(mod_client, moderator, thread):
    hide = services.post_hide(actor=moderator, post=thread.posts.first(), rule_codes=["G3"])
    restore = services.action_reverse(actor=moderator, action=hide)
    assert mod_client.get(reverse_url(restore)).status_code == 403
    assert mod_client.post(reverse_url(restore), {"note": ""}).status_code == 403
    assert ModerationAction.objects.count() == 2


def test_members_and_visitors_cannot_reverse(client, moderator, member, thread, guidelines):
    hide = services.post_hide(actor=moderator, post=thread.posts.first(), rule_codes=["G3"])
    response = client.post(reverse_url(hide), {"note": ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member)
    assert client.post(reverse_url(hide), {"note": ""}).status_code == 403
    assert Post.objects.get(pk=hide.post_id).is_hidden


def test_unknown_action_is_404(mod_client):
    assert mod_client.get("/moderation/log/987654/reverse/").status_code == 404


# --- Transparency ------------------------------------------------------------------------------


def test_transparency_counts_actions_per_rule_per_month_without_personal_data(
    client, moderator, member, thread, guidelines
):
    services.post_hide(
        actor=moderator, post=thread.posts.first(), rule_codes=["G3"], note="SecretNoteText"
    )
    services.block_create(
        actor=moderator,
        member=member,
        duration="1d",
        rule_codes=["G3", "G5"],
        reason="PrivateReasonText",
    )
    services.moderator_note_add(actor=moderator, member=member, text="ModNoteText")
    response = client.get("/transparency/")  # public: a visitor
    assert response.status_code == 200
    html = response.content.decode()
    month = timezone.now().strftime("%B %Y")
    assert month in html
    body = html[html.index("<h1>") :]
    for private in [
        "jamie",
        "Jamie",
        "morgan",
        "Morgan",
        "SecretNoteText",
        "PrivateReasonText",
        "ModNoteText",
        "Export drops rows",
        f"/moderation/members/{member.pk}/",
    ]:
        assert private not in body, private
    rows = re.findall(
        r'#(G\d)">G\d</a>[^<]*</td>\s*<td data-label="Action">([^<]+)</td>\s*'
        r'<td data-label="Count" class="num">(\d+)</td>',
        body,
    )
    assert sorted(rows) == [
        ("G3", "Blocked a member", "1"),
        ("G3", "Hid a post", "1"),
        ("G5", "Blocked a member", "1"),
    ]


def test_transparency_before_any_action(client, db):
    html = client.get("/transparency/").content.decode()
    assert "No moderation actions have been recorded yet." in html
