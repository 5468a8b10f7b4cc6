"""The three boards every Porchlight has from the start (PRODUCT.md, "Boards")."""

from django.db import migrations

BOARDS = [
    {
        "slug": "help",
        "name": "Help",
        "kind": "help",
        "position": 1,
        "description": "Ask how to do something or why something isn't working. "
        "Staff and the community answer here.",
    },
    {
        "slug": "bugs",
        "name": "Bugs",
        "kind": "bugs",
        "position": 2,
        "description": "Report something broken: what you did, what you expected, what happened.",
    },
    {
        "slug": "ideas",
        "name": "Ideas",
        "kind": "ideas",
        "position": 3,
        "description": "Propose a change or a new feature, and vote for the ideas you want.",
    },
]


def create_boards(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    for board in BOARDS:
        Board.objects.get_or_create(slug=board["slug"], defaults=board)


def remove_empty_boards(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    Board.objects.filter(slug__in=[b["slug"] for b in BOARDS], thread_count=0).delete()


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]
    operations = [migrations.RunPython(create_boards, remove_empty_boards)]
