"""A member's public profile (with their recent posts) and editing one's own. Served by
the forum, not the accounts app: the page shows posts and the edit check consults
blocks, and accounts knows neither."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext

from accounts.forms import ProfileForm
from accounts.selectors import user_get_public
from accounts.services import profile_update
from config.views import CheckedFormView
from forum import selectors
from forum.permissions import check_edit_profile


def profile_detail(request, username: str):
    profile_user = user_get_public(username=username)
    recent_posts = selectors.post_list_recent_by_author(author=profile_user, limit=10)
    return render(
        request,
        "accounts/profile_detail.html",
        {"profile_user": profile_user, "recent_posts": recent_posts},
    )


class ProfileEditView(CheckedFormView):
    template_name = "accounts/profile_edit.html"
    form_class = ProfileForm

    def check(self, user) -> None:
        check_edit_profile(user, user)

    def get_form_kwargs(self) -> dict:
        if self.request.method == "POST":
            return {}
        user = self.request.user
        return {
            "initial": {
                "display_name": user.display_name,
                "bio": user.bio,
                "time_zone": user.time_zone,
                "language": user.language,
            }
        }

    def act(self, form):
        data = form.cleaned_data
        profile_update(
            user=self.request.user,
            display_name=data["display_name"],
            bio=data["bio"],
            time_zone=data["time_zone"],
            language=data["language"],
        )

    def done(self, result):
        # Said in the language the member just chose: the next page is in it.
        language = self.request.user.language or translation.get_language()
        with translation.override(language):
            messages.success(self.request, gettext("Your profile is saved."))
        return redirect(self.request.user.get_absolute_url())
