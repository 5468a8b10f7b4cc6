"""Bring stored HTML up to the current rendering pipeline (``forum.markup.RENDER_VERSION``).

Posts keep the HTML they were rendered with; when the pipeline's output changes (e.g. images
from other hosts shown as links, so readers' browsers stop fetching them), the posts stored
with an older version are rendered again with ``posts_rerender`` (``manage.py
rerender_posts``), their revisions with them.
"""

import contextlib

from django.db import transaction

from forum.markup import RENDER_VERSION, RenderRefused, render_markdown
from forum.models import Post, PostRevision


def posts_rerender(*, batch_size: int = 200) -> tuple[int, int]:
    """Render again every post stored with an older ``RENDER_VERSION``, and its revisions.
    Each batch is rendered before its transaction and written inside it with the post rows
    locked; a post edited in the meantime already carries the current version and is left
    alone. A body the current caps refuse keeps its old HTML. Returns (re-rendered,
    refused); safe to run again or to interrupt."""
    rendered = refused = 0
    after = 0
    while True:
        batch = list(
            Post.objects.filter(pk__gt=after, body_html_version__lt=RENDER_VERSION)
            .order_by("pk")
            .values_list("pk", "body")[:batch_size]
        )
        if not batch:
            return rendered, refused
        after = batch[-1][0]
        post_html: dict[int, str] = {}
        for pk, body in batch:
            try:
                post_html[pk] = render_markdown(body)
            except RenderRefused:
                refused += 1
        revision_html: dict[int, str] = {}
        for pk, body in PostRevision.objects.filter(post_id__in=post_html).values_list(
            "pk", "body"
        ):
            with contextlib.suppress(RenderRefused):  # an older version keeps its HTML
                revision_html[pk] = render_markdown(body)
        with transaction.atomic():
            posts = list(
                Post.objects.select_for_update()
                .filter(pk__in=post_html, body_html_version__lt=RENDER_VERSION)
                .only("pk", "body_html", "body_html_version")
            )
            for post in posts:
                post.body_html = post_html[post.pk]
                post.body_html_version = RENDER_VERSION
            Post.objects.bulk_update(posts, ["body_html", "body_html_version"])
            revisions = list(
                PostRevision.objects.filter(
                    pk__in=revision_html, post_id__in=[post.pk for post in posts]
                ).only("pk", "body_html")
            )
            for revision in revisions:
                revision.body_html = revision_html[revision.pk]
            PostRevision.objects.bulk_update(revisions, ["body_html"])
        rendered += len(posts)
