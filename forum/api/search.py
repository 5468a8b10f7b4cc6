"""Searching posts, as the search page does."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from ninja import Query, Schema

from forum.api.pagination import PageParams, page_of, paginate_ranked
from forum.api.routers import search as router
from forum.forms import SearchForm
from forum.schemas import SearchHitOut
from forum.search import hit_for
from forum.selectors import search as search_selectors


class SearchParams(Schema):
    """The search page's form, with the same names and rules."""

    q: str | None = None
    board: str | None = None
    author: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None


def _list_name(arguments: dict) -> str:
    """A cursor belongs to one search: the same words and filters."""
    described = repr(
        sorted(
            (name, value.isoformat() if isinstance(value, date) else value)
            for name, value in arguments.items()
        )
    )
    return "search:" + hashlib.sha256(described.encode()).hexdigest()[:16]


@router.get(
    "",
    response=page_of(SearchHitOut),
    summary="Search posts",
    description=(
        '`q`: words ("quotes" for a phrase, OR for either word, -word to leave one out); '
        "filters as on the search page: `board` (a slug), `author` (a username), "
        "`date_from` / `date_to` (YYYY-MM-DD, both included), `status` (`solved`, "
        "`unsolved`, or a Bug or Idea status). Best first among the 1,000 newest matches, "
        "as on the search page; posts moderators hid are searched for moderators alone."
    ),
)
def search(request, params: Query[SearchParams], page: Query[PageParams]):
    form = SearchForm({name: value for name, value in params.dict().items() if value is not None})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    arguments = form.search_arguments()
    try:
        candidates = search_selectors.search_candidates(user=request.user, **arguments)
    except ValidationError as exc:
        raise ValidationError(
            {
                ("q" if field == "query" else field): errors
                for field, errors in exc.message_dict.items()
            }
        ) from exc
    result = paginate_ranked(candidates.ranked, kind=_list_name(arguments), params=page)
    if not result.results:
        return result
    found = {post.pk: post for post in candidates.rows.filter(pk__in=result.results).order_by()}
    hits = []
    for key in result.results:
        post = found.get(key)
        if post is None:
            continue
        hit = hit_for(post, arguments["query"])
        hits.append(
            {
                "post_id": post.pk,
                "position": post.position,
                "thread": post.thread,
                "author": post.author,
                "created_at": post.created_at,
                "snippet_html": str(hit.snippet),
                "url": post.get_absolute_url(),
            }
        )
    return {"results": hits, "next": result.next, "previous": result.previous}
