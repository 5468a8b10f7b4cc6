"""Paginators for lists whose size a denormalised counter or a position already knows,
and for long lists read deep into."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its count by a denormalised counter, so no COUNT(*) runs."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


class DeferredJoinPaginator(Paginator):
    """A page of a long ordered list in one query that stays as fast deep in the list
    as at its start: a subquery picks the page's primary keys (``OFFSET`` over the keys
    alone, which an index holding the sort columns and the key answers without reading
    a row), then only those rows are read with their joins. A plain ``OFFSET`` on the
    joined query reads and throws away every row before the page, so page 4,000 costs
    100,000 rows. Pages past the middle count from the end, so the costliest page is the
    middle one, skipping half the list's index entries. Page URLs (``?page=N``) are
    unchanged. ``count`` (a denormalised counter) spares the COUNT(*); without it one runs
    as usual. Only a list ordered down to its key (``-pk`` last) is read backwards."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        if self._known_count is None:
            self._known_count = super().count
        return self._known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if top <= bottom:
            return self._get_page(self.object_list.none(), number, self)
        if bottom > self.count - top and self._ends_in_key():
            # Past the middle the list is read from its other end (the index backwards),
            # so the last page skips nothing and the middle one is the costliest.
            keys = self.object_list.reverse().values("pk")[self.count - top : self.count - bottom]
        else:
            keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)

    def _ends_in_key(self) -> bool:
        """Read backwards, a list gives the same pages only when its order has no ties."""
        ordering = self.object_list.query.order_by
        return bool(ordering) and str(ordering[-1]).lstrip("-") in ("pk", "id")


class PositionPaginator(CountedPaginator):
    """A thread's posts by position: page N holds positions (N-1)·per_page+1 to
    N·per_page, whatever this reader may see of them, so a post is on the same page for
    everyone (permalinks and "first unread" compute it from the position alone) and a
    post held out of one reader's view leaves a gap instead of shifting the rest. The
    count is the last position the reader can see, so pages beyond it (nothing but
    hidden or held posts) are not offered."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        posts = self.object_list.filter(position__gt=bottom, position__lte=bottom + self.per_page)
        return self._get_page(posts, number, self)
