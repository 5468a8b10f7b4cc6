"""Members' post counts recounted as their public posts (not hidden, not held, not in a
hidden thread): moderation used to leave hidden posts counted."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def recount(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Post = apps.get_model("forum", "Post")
    public = (
        Post.objects.filter(author=OuterRef("pk"), is_hidden=False, thread__is_hidden=False)
        .order_by()
        .values("author")
        .annotate(posts=Count("pk"))
        .values("posts")
    )
    User.objects.update(
        post_count=Coalesce(Subquery(public, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0010_post_held"),
        ("accounts", "0006_email_domain_rule"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
