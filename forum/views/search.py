"""Search (``/search/``) and staff keyword watches (``/staff/watches/``)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum import search as forum_search
from forum.dates import validate_site_date
from forum.forms import apply_service_errors
from forum.permissions import check_manage_keyword_watches
from forum.services import keywords


class SearchForm(forms.Form):
    """The search page's form (GET). The search feeds read the same form, so a feed
    always matches the page it was found on."""

    q = forms.CharField(
        label="Search for",
        required=False,
        strip=True,
        help_text='Words to find. "Quotes" for an exact phrase, OR for either word, '
        "-word to leave a word out.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    board = forms.ChoiceField(label="Board", required=False)
    author = forms.CharField(
        label="Author",
        required=False,
        max_length=150,
        help_text="A username.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_site_date],
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_site_date],
    )
    status = forms.ChoiceField(label="Status", required=False, choices=forum_search.STATUS_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", "All boards"), *forum_search.board_choices()]

    def clean_q(self) -> str:
        try:
            return forum_search.clean_query(self.cleaned_data.get("q"))
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["q"]) from exc

    def clean_author(self) -> str:
        return (self.cleaned_data.get("author") or "").strip().lstrip("@")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end date is before the start date. Swap them?")
        return cleaned

    def search_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "query": data["q"],
            "board": data.get("board") or None,
            "author": data.get("author") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "status": data.get("status") or None,
        }


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v != ""])


def search(request):
    """The search page: the form, and one page of results once something was asked."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        try:
            page = forum_search.search_posts(
                user=request.user, page=request.GET.get("page"), **form.search_arguments()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, field_map={"query": "q"})
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


class KeywordWatchForm(forms.Form):
    term = forms.CharField(
        label="Word or phrase to watch",
        required=False,
        strip=True,
        help_text=f"{keywords.TERM_MIN}–{keywords.TERM_MAX} characters. Whole words only; "
        "case and accents don't matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _refuse_watches(request):
    """Visitors go to sign in and come back; everyone else is asked the one check."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forum:staff-watches"))
    check_manage_keyword_watches(request.user)
    return None


def staff_watches(request):
    """A staff member's keyword watches: the list, and the form that adds one."""
    refusal = _refuse_watches(request)
    if refusal:
        return refusal
    status = 200
    if request.method == "POST":
        form = KeywordWatchForm(request.POST)
        if form.is_valid():
            try:
                watch = keywords.keyword_watch_add(
                    user=request.user, term=form.cleaned_data["term"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, f"Watching “{watch.term}”: new posts that mention it will notify you."
                )
                return redirect("forum:staff-watches")
        status = 400
    else:
        form = KeywordWatchForm()
    watches = forum_search.keyword_watch_list(user=request.user)
    return render(
        request,
        "forum/staff_watches.html",
        {
            "form": form,
            "watches": watches,
            "watch_limit": keywords.WATCHES_PER_MEMBER,
            "at_limit": len(watches) >= keywords.WATCHES_PER_MEMBER,
        },
        status=status,
    )


@require_POST
def staff_watch_delete(request, watch_id: int):
    refusal = _refuse_watches(request)
    if refusal:
        return refusal
    watch = forum_search.keyword_watch_get_for_user(user=request.user, watch_id=watch_id)
    if keywords.keyword_watch_remove(watch=watch, user=request.user):
        messages.success(request, f"No longer watching “{watch.term}”.")
    return redirect("forum:staff-watches")
