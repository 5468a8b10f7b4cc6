"""Paginators for lists whose size a denormalised counter or a position already knows."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its count by a denormalised counter, so no COUNT(*) runs."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


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
