from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from forum.models import Board, Post, Thread
from moderation.models import GuidelineVersion, ReviewItem


def test_demo_loader_creates_every_role_and_is_harmless_twice(db, boards):
    call_command("load_demo")
    counts = (User.objects.count(), Thread.objects.count(), Post.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert GuidelineVersion.objects.count() == 1
    assert ReviewItem.objects.filter(status="open").count() == 1  # a flagged demo post
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["admin"] == "admin" and roles["moderator"] == "moderator"
    assert roles["staff"] == "staff" and roles["member"] == "member"
    for username in ("admin", "moderator", "staff", "member"):
        assert authenticate(username=username, password="porchlight-demo") is not None
    assert User.objects.get(username="staff").badges[0]["label"] == "Staff"
    for board in Board.objects.filter(slug__in=["help", "bugs", "ideas"]):
        assert board.thread_count >= 1
        assert board.post_count == Post.objects.filter(thread__board=board).count()


def test_migrations_create_boards_but_no_accounts(db):
    assert set(Board.objects.values_list("slug", flat=True)) >= {"help", "bugs", "ideas"}
    assert not User.objects.exists()


def test_demo_shows_every_workflow_and_loads_twice_without_changes(db, boards):
    from forum.models import KeywordWatch, ThreadEvent, ThreadVote

    call_command("load_demo")
    snapshot = (ThreadEvent.objects.count(), ThreadVote.objects.count())
    call_command("load_demo")
    assert (ThreadEvent.objects.count(), ThreadVote.objects.count()) == snapshot
    states = set(Thread.objects.filter(board__slug="help").values_list("help_state", flat=True))
    assert states == {"solved", "awaiting_staff", "awaiting_asker"}
    assert Thread.objects.get(board__slug="bugs").status == "confirmed"
    assert Thread.objects.get(title="Dark mode for the web app").vote_count == 3
    assert KeywordWatch.objects.filter(user__username="staff").count() == 3
