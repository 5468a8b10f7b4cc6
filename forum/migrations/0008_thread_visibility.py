from django.db import migrations, models
from django.db.models import Count, Q


def fill_from_hidden_posts(apps, schema_editor):
    """Threads whose opening post is already hidden become hidden threads, hidden replies
    are counted, and the boards' counters and latest post are recomputed to leave them
    out (before this, hiding a post changed no counter)."""
    Board = apps.get_model("forum", "Board")
    Thread = apps.get_model("forum", "Thread")
    Post = apps.get_model("forum", "Post")
    Thread.objects.filter(
        pk__in=Post.objects.filter(position=1, is_hidden=True).values("thread_id")
    ).update(is_hidden=True)
    hidden_replies = (
        Post.objects.filter(position__gt=1, is_hidden=True)
        .values("thread_id")
        .annotate(n=Count("pk"))
    )
    for row in hidden_replies:
        Thread.objects.filter(pk=row["thread_id"]).update(hidden_reply_count=row["n"])
    touched = Post.objects.filter(is_hidden=True).values_list("thread_id", flat=True).distinct()
    for thread in Thread.objects.filter(pk__in=list(touched)):
        latest = Post.objects.filter(thread=thread, is_hidden=False).order_by("-position").first()
        if latest is not None:
            thread.last_post_id, thread.last_poster_id = latest.pk, latest.author_id
            thread.last_activity_at = latest.created_at
            thread.save(update_fields=["last_post", "last_poster", "last_activity_at"])
    for board in Board.objects.all():
        public = Thread.objects.filter(board=board, is_hidden=False)
        latest = public.filter(last_post__isnull=False).order_by("-last_activity_at", "-pk").first()
        board.thread_count = public.count()
        board.post_count = Post.objects.filter(
            Q(thread__board=board, is_hidden=False, thread__is_hidden=False)
        ).count()
        board.last_post_id = latest.last_post_id if latest else None
        board.last_activity_at = latest.last_activity_at if latest else None
        board.save(update_fields=["thread_count", "post_count", "last_post", "last_activity_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0007_outage_cache"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="hidden_reply_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="thread",
            name="is_hidden",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(fill_from_hidden_posts, migrations.RunPython.noop),
    ]
