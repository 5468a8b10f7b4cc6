"""Cursor pagination, the one way every API list is paged.

A list answers ``{"results": [...], "next": "<cursor>" | null, "previous": ... | null}``.
``?cursor=`` takes ``next`` or ``previous`` as given; ``?page_size=`` asks for 1 to 100
results (25 by default).

The pages are a keyset over the list's ordering, down to a unique key: a cursor holds
the ordering's values of the row it starts after, and the next page is the rows beyond
them. So a page costs the same deep in a list as at its start, and rows written or
removed while a client walks the list never shift a row onto two pages or off all of
them. (django-ninja's ``CursorPagination`` keys on the first ordering column plus an
offset, which neither survives ``-is_pinned`` first nor is stable under writes.)

A cursor is signed and names the list it belongs to: one that was altered, or that came
from another list or another sort, is refused with a 400 rather than read as a position."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import create_model

PAGE_SIZE = 25
PAGE_SIZE_MAX = 100
_SALT = "porchlight.api.cursor"
_KEY = "cursor_key_{}"


class PageParams(Schema):
    cursor: str | None = Field(
        None, description="The `next` or `previous` of a page, as given (opaque)."
    )
    page_size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description="Results per page.")


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of a page of ``item``s (one per item schema, so OpenAPI names it once)."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        results=(list[item], ...),
        next=(str | None, None),
        previous=(str | None, None),
    )


@dataclass(frozen=True)
class CursorPage:
    results: list
    next: str | None
    previous: str | None


@dataclass(frozen=True)
class _Position:
    values: list
    backwards: bool


def _bad_cursor() -> HttpError:
    return HttpError(
        400,
        gettext(
            "This cursor isn't valid here: it may be cut short or altered, or it belongs to "
            "another list or sort order. Ask for the list again without a cursor and follow "
            "its “next” link."
        ),
    )


def _pack(value):
    # Datetimes keep their microseconds: a keyset compares exact values.
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _unpack(value):
    if isinstance(value, dict):
        return datetime.fromisoformat(value["t"])
    return value


def _encode(kind: str, values: list, *, backwards: bool) -> str:
    data = {"k": kind, "v": [_pack(value) for value in values]}
    if backwards:
        data["b"] = 1
    return signing.dumps(data, salt=_SALT, compress=True)


def _decode(cursor: str, *, kind: str, width: int | None) -> _Position:
    try:
        data = signing.loads(cursor, salt=_SALT)
        if not isinstance(data, dict) or data.get("k") != kind:
            raise ValueError(kind)
        values = [_unpack(value) for value in data["v"]]
    except (signing.BadSignature, ValueError, KeyError, TypeError) as exc:
        raise _bad_cursor() from exc
    if width is not None and len(values) != width:
        raise _bad_cursor()
    return _Position(values=values, backwards=bool(data.get("b")))


def _terms(ordering) -> list[tuple[object, bool]]:
    """(expression, descending) for each term of an ``order_by`` list."""
    terms = []
    for item in ordering:
        if isinstance(item, str):
            terms.append((F(item.lstrip("-")), item.startswith("-")))
        elif isinstance(item, OrderBy):
            terms.append((item.expression, item.descending))
        else:
            terms.append((item, False))
    return terms


def _beyond(names: list[str], terms, values: list, *, backwards: bool) -> Q:
    """Rows after ``values`` in the ordering (before them when ``backwards``): equal on
    the first i terms and past the value on term i, for some i."""
    condition = Q()
    for index, (name, (_, descending)) in enumerate(zip(names, terms, strict=True)):
        lookup = "lt" if descending != backwards else "gt"
        step = Q(**{f"{names[j]}": values[j] for j in range(index)})
        step &= Q(**{f"{name}__{lookup}": values[index]})
        condition |= step
    return condition


def paginate(queryset: QuerySet, *, ordering: list, kind: str, params: PageParams) -> CursorPage:
    """One page of ``queryset`` in ``ordering`` (whose last term must be unique, such as
    ``-pk``), as ``params`` asks. ``kind`` names the list and its order, so a cursor is
    only accepted by the list that issued it. One query."""
    terms = _terms(ordering)
    names = [_KEY.format(index) for index in range(len(terms))]
    rows = queryset.annotate(
        **{name: expression for name, (expression, _) in zip(names, terms, strict=True)}
    )
    position = None
    if params.cursor:
        position = _decode(params.cursor, kind=kind, width=len(terms))
        rows = rows.filter(_beyond(names, terms, position.values, backwards=position.backwards))
    backwards = position is not None and position.backwards
    order = [
        OrderBy(F(name), descending=descending != backwards)
        for name, (_, descending) in zip(names, terms, strict=True)
    ]
    size = params.page_size
    found = list(rows.order_by(*order)[: size + 1])
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()

    def at(row, *, back: bool) -> str:
        return _encode(kind, [getattr(row, name) for name in names], backwards=back)

    if not found:
        if position is None:
            return CursorPage(results=[], next=None, previous=None)
        # Nothing beyond the cursor (any more): the way back starts where it stood.
        turned = _encode(kind, position.values, backwards=not position.backwards)
        return CursorPage(
            results=[],
            next=turned if backwards else None,
            previous=None if backwards else turned,
        )
    if backwards:
        return CursorPage(
            results=found,
            next=at(found[-1], back=False),
            previous=at(found[0], back=True) if more else None,
        )
    return CursorPage(
        results=found,
        next=at(found[-1], back=False) if more else None,
        previous=at(found[0], back=True) if position is not None else None,
    )


def paginate_ranked(entries: list[tuple[tuple, object]], *, kind: str, params: PageParams):
    """One page of ``entries`` — (sort key, item) pairs already in order, keys unique and
    made of numbers — for a list ordered in Python (search's ranked candidates). The
    cursor is the key of the row it starts after, as for ``paginate``. No query."""
    size = params.page_size
    if not params.cursor:
        found, more = entries[:size], len(entries) > size
        return CursorPage(
            results=[item for _, item in found],
            next=_encode(kind, list(found[-1][0]), backwards=False) if more else None,
            previous=None,
        )
    position = _decode(params.cursor, kind=kind, width=len(entries[0][0]) if entries else None)
    mark = tuple(position.values)
    if not all(isinstance(value, int | float) for value in mark):
        raise _bad_cursor()
    if position.backwards:
        before = [entry for entry in entries if entry[0] < mark]
        found, more = before[-size:], len(before) > size
        ahead = found[-1][0] if found else mark
        return CursorPage(
            results=[item for _, item in found],
            next=_encode(kind, list(ahead), backwards=False),
            previous=_encode(kind, list(found[0][0]), backwards=True) if more else None,
        )
    after = [entry for entry in entries if entry[0] > mark]
    found, more = after[:size], len(after) > size
    back = found[0][0] if found else mark
    return CursorPage(
        results=[item for _, item in found],
        next=_encode(kind, list(found[-1][0]), backwards=False) if more else None,
        previous=_encode(kind, list(back), backwards=True),
    )
