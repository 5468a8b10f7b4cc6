"""Search (``/search/``) and staff keyword watches (``/staff/watches/``)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from config.views import CheckedFormView
from forum import search as forum_search
from forum.forms import KeywordWatchForm, SearchForm
from forum.permissions import check_manage_keyword_watches
from forum.selectors import search as search_selectors
from forum.services import keywords
from forum.views.visitor_cache import site_pages, visitor_cached


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v != ""])


@visitor_cached(site_pages)
def search(request):
    """The search page: the form, and one page of results once something was asked."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        try:
            page = search_selectors.search_posts(
                user=request.user, page=request.GET.get("page"), **form.search_arguments()
            )
        except ValidationError as exc:
            # The form already applies the search's rules; this keeps the search's own
            # word (keyed to ``q`` or ``status``) beside its field if it still refuses.
            for field, errors in exc.message_dict.items():
                name = "q" if field == "query" else field
                form.add_error(name if name in form.fields else None, errors)
    query_string = _query_without_page(request)
    feeds = None
    if page is not None:
        feeds = {
            "rss": reverse("forum:search-feed-rss") + "?" + query_string,
            "atom": reverse("forum:search-feed-atom") + "?" + query_string,
        }
    filtered = form.is_bound and any(
        request.GET.get(name) for name in ("board", "author", "date_from", "date_to", "status")
    )
    return render(
        request,
        "forum/search.html",
        {
            "form": form,
            "page": page,
            "feeds": feeds,
            "filtered": filtered,
            "max_length": forum_search.MAX_QUERY_LENGTH,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Staff keyword watches --------------------------------------------------------------


def _refuse_watches(request):
    """Visitors go to sign in and come back; everyone else is asked the one check."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forum:staff-watches"))
    check_manage_keyword_watches(request.user)
    return None


class StaffWatchesView(CheckedFormView):
    """A staff member's keyword watches: the list, and the form that adds one. The page is
    for staff only, so a refusal is the site's 403 page, for a POST as for a GET."""

    template_name = "forum/staff_watches.html"
    form_class = KeywordWatchForm
    refusal_shows_form = False

    def login_next(self) -> str:
        return reverse("forum:staff-watches")

    def check(self, user) -> None:
        check_manage_keyword_watches(user)

    def get_context_data(self, **context) -> dict:
        watches = forum_search.keyword_watch_list(user=self.request.user)
        return {
            "watches": watches,
            "watch_limit": keywords.WATCHES_PER_MEMBER,
            "at_limit": len(watches) >= keywords.WATCHES_PER_MEMBER,
            **context,
        }

    def act(self, form):
        return keywords.keyword_watch_add(user=self.request.user, term=form.cleaned_data["term"])

    def done(self, watch):
        messages.success(
            self.request,
            gettext("Watching “%(term)s”: new posts that mention it will notify you.")
            % {"term": watch.term},
        )
        return redirect("forum:staff-watches")


@require_POST
def staff_watch_delete(request, watch_id: int):
    refusal = _refuse_watches(request)
    if refusal:
        return refusal
    watch = forum_search.keyword_watch_get_for_user(user=request.user, watch_id=watch_id)
    if keywords.keyword_watch_remove(watch=watch, user=request.user):
        messages.success(request, gettext("No longer watching “%(term)s”.") % {"term": watch.term})
    return redirect("forum:staff-watches")
