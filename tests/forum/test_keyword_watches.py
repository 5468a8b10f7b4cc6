"""Staff keyword watches: saving and removing terms, who may, how terms match posts, and
the notification a matching post brings."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from forum import services
from forum.models import KeywordWatch, Notification
from forum.services.keywords import (
    WATCHES_PER_MEMBER,
    keyword_watch_add,
    keyword_watch_remove,
    staff_matching,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff2(make_user):
    return make_user("kim", role=Role.STAFF, job_title="Product Manager", display_name="Kim")


# --- Adding and removing ----------------------------------------------------------------


def test_add_trims_and_saves_the_term(staff):
    watch = keyword_watch_add(user=staff, term="   Acme   Cloud  ")
    assert watch.term == "Acme Cloud"
    assert list(KeywordWatch.objects.filter(user=staff).values_list("term", flat=True)) == [
        "Acme Cloud"
    ]


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "at least 2 characters"),
        ("  x  ", "at least 2 characters"),
        ("y" * 61, "at most 60 characters; this one has 61"),
    ],
)
def test_terms_too_short_or_too_long_are_refused_on_the_field(staff, term, message):
    with pytest.raises(ValidationError) as caught:
        keyword_watch_add(user=staff, term=term)
    assert message in caught.value.message_dict["term"][0]
    assert not KeywordWatch.objects.exists()


def test_a_duplicate_is_refused_ignoring_case_and_accents(staff):
    keyword_watch_add(user=staff, term="Café")
    with pytest.raises(ValidationError) as caught:
        keyword_watch_add(user=staff, term="CAFE")
    assert caught.value.message_dict["term"] == ["You already watch “Café”."]


def test_two_staff_members_may_watch_the_same_term(staff, staff2):
    keyword_watch_add(user=staff, term="refund")
    keyword_watch_add(user=staff2, term="refund")
    assert KeywordWatch.objects.count() == 2


def test_at_most_twenty_watches_each(staff):
    for n in range(WATCHES_PER_MEMBER):
        keyword_watch_add(user=staff, term=f"term {n}")
    with pytest.raises(ValidationError) as caught:
        keyword_watch_add(user=staff, term="one more")
    assert "at most 20 terms" in caught.value.message_dict["term"][0]


def test_remove_only_removes_your_own(staff, staff2):
    watch = keyword_watch_add(user=staff, term="refund")
    assert keyword_watch_remove(watch=watch, user=staff2) is False
    assert keyword_watch_remove(watch=watch, user=staff) is True
    assert keyword_watch_remove(watch=watch, user=staff) is False
    assert not KeywordWatch.objects.exists()


# --- Matching -------------------------------------------------------------------------------


def _matches(post) -> dict[str, str]:
    return {user.username: term for user, term in staff_matching(post=post).items()}


@pytest.mark.parametrize(
    ("term", "title", "body", "matches"),
    [
        ("refund", "Billing", "I want a refund please", True),
        ("refund", "Billing", "REFUND!", True),
        ("refund", "Billing", "refunds", False),  # whole words only
        ("refund", "Billing", "prerefund", False),
        ("café", "Menu", "The CAFE is closed", True),  # accents and case ignored
        ("cafe", "Menu", "Le café est fermé", True),
        ("acme cloud", "Hello", "Is Acme\n  Cloud down?", True),  # any whitespace between
        ("acme cloud", "Hello", "Acme's cloud", False),
        ("C++", "SDK", "The C++ SDK crashes", True),
        ("C++", "SDK", "The C SDK crashes", False),
        ("E-1042", "Error", "I get error e-1042 at start", True),
        ("ошибка", "Error", "Ошибка при экспорте", True),
        ("outage", "Outage right now", "Nothing loads.", True),  # opening post: title counts
    ],
)
def test_matching_rules(make_thread, member, staff, term, title, body, matches):
    keyword_watch_add(user=staff, term=term)
    thread = make_thread(member, title=title, body=body)
    assert _matches(thread.last_post) == ({"sam": term} if matches else {})


def test_a_reply_does_not_match_on_its_threads_title(make_thread, member, other_member, staff):
    keyword_watch_add(user=staff, term="outage")
    thread = make_thread(member, title="Outage right now", body="Nothing loads.")
    reply = services.post_create(thread=thread, author=other_member, body="Same for me.")
    assert _matches(reply) == {}


def test_the_author_is_never_matched(make_thread, staff, staff2):
    keyword_watch_add(user=staff, term="refund")
    keyword_watch_add(user=staff2, term="refund")
    thread = make_thread(staff, title="Refund policy", body="How refunds work.")
    assert _matches(thread.last_post) == {"kim": "refund"}


def test_one_term_per_staff_member_and_members_who_left_staff_are_skipped(
    make_thread, member, staff, staff2
):
    keyword_watch_add(user=staff, term="refund")
    keyword_watch_add(user=staff, term="billing")
    keyword_watch_add(user=staff2, term="refund")
    type(staff2).objects.filter(pk=staff2.pk).update(role=Role.MEMBER)
    thread = make_thread(member, title="Billing", body="refund please")
    assert _matches(thread.last_post) == {"sam": "billing"}


def test_matching_costs_one_query_when_nothing_matches_and_none_once_cached(
    make_thread, member, staff, django_assert_num_queries
):
    keyword_watch_add(user=staff, term="refund")
    thread = make_thread(member, title="Printer", body="It jams.")
    cache.clear()  # creating the thread asked already
    with django_assert_num_queries(1):
        staff_matching(post=thread.last_post)
    with django_assert_num_queries(0):
        staff_matching(post=thread.last_post)


def test_a_new_watch_is_used_at_once(make_thread, member, staff):
    thread = make_thread(member, title="Printer", body="refund please")
    assert _matches(thread.last_post) == {}  # the (empty) list is now cached
    keyword_watch_add(user=staff, term="refund")
    assert _matches(thread.last_post) == {"sam": "refund"}


def test_a_matching_post_notifies_the_watcher_once(make_thread, member, staff, staff2):
    keyword_watch_add(user=staff, term="refund")
    keyword_watch_add(user=staff, term="billing")
    thread = make_thread(member, title="Billing question", body="Can I get a refund?")
    notes = list(Notification.objects.filter(recipient=staff))
    assert len(notes) == 1
    assert notes[0].kind == Notification.Kind.KEYWORD
    assert notes[0].post_id == thread.last_post_id
    assert notes[0].text == "billing"
    assert not Notification.objects.filter(recipient=staff2).exists()


def test_own_posts_bring_no_keyword_notification(make_thread, staff):
    keyword_watch_add(user=staff, term="refund")
    make_thread(staff, title="Refunds", body="How a refund works.")
    assert not Notification.objects.filter(recipient=staff).exists()


# --- The page ---------------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("forum:staff-watches"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/staff/watches/" in response.url


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_and_plain_moderators_are_refused(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("forum:staff-watches"))
    assert response.status_code == 403
    assert "for staff only" in response.content.decode()
    response = client.post(reverse("forum:staff-watches"), {"term": "refund"})
    assert response.status_code == 403
    assert not KeywordWatch.objects.exists()


def test_member_cannot_delete_a_watch(client, member, staff):
    watch = keyword_watch_add(user=staff, term="refund")
    client.force_login(member)
    response = client.post(reverse("forum:staff-watch-delete", args=[watch.pk]))
    assert response.status_code == 403
    assert KeywordWatch.objects.filter(pk=watch.pk).exists()


def test_staff_page_explains_lists_and_adds(client, staff, admin_user):
    keyword_watch_add(user=staff, term="refund")
    client.force_login(staff)
    page = client.get(reverse("forum:staff-watches"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Whole words only" in html
    assert "refund" in html and "(1 of 20)" in html
    assert '<label for="id_term">Word or phrase to watch</label>' in html
    response = client.post(reverse("forum:staff-watches"), {"term": "billing"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("forum:staff-watches")
    assert "Watching “billing”" in response.content.decode()
    assert set(KeywordWatch.objects.values_list("term", flat=True)) == {"refund", "billing"}
    client.force_login(admin_user)
    assert client.get(reverse("forum:staff-watches")).status_code == 200


def test_watches_are_listed_alphabetically_ignoring_case(client, staff):
    for term in ["refund", "E-1042", "acme cloud"]:
        keyword_watch_add(user=staff, term=term)
    client.force_login(staff)
    watches = client.get(reverse("forum:staff-watches")).context["watches"]
    assert [watch.term for watch in watches] == ["acme cloud", "E-1042", "refund"]


def test_a_bad_term_is_shown_next_to_the_field_and_kept(client, staff):
    keyword_watch_add(user=staff, term="refund")
    client.force_login(staff)
    response = client.post(reverse("forum:staff-watches"), {"term": "Refund"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field field--error"' in html
    assert "You already watch “refund”." in html
    assert 'value="Refund"' in html


def test_staff_delete_their_watch_by_post_only(client, staff, staff2):
    watch = keyword_watch_add(user=staff, term="refund")
    others = keyword_watch_add(user=staff2, term="refund")
    client.force_login(staff)
    url = reverse("forum:staff-watch-delete", args=[watch.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "No longer watching “refund”." in response.content.decode()
    assert not KeywordWatch.objects.filter(pk=watch.pk).exists()
    # Someone else's watch is the same 404 as a missing one.
    assert client.post(reverse("forum:staff-watch-delete", args=[others.pk])).status_code == 404
    assert client.post(reverse("forum:staff-watch-delete", args=[999999])).status_code == 404
