from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from accounts.forms import ProfileForm
from accounts.permissions import check_edit_profile
from accounts.selectors import user_get_public
from accounts.services import profile_update
from forum.selectors import post_list_recent_by_author


def profile_detail(request, username: str):
    profile_user = user_get_public(username=username)
    recent_posts = post_list_recent_by_author(author=profile_user, limit=10)
    return render(
        request,
        "accounts/profile_detail.html",
        {"profile_user": profile_user, "recent_posts": recent_posts},
    )


class ProfileEditView(View):
    template_name = "accounts/profile_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_required(lambda r: None)(request)
        check_edit_profile(request.user, request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = ProfileForm(
            initial={"display_name": request.user.display_name, "bio": request.user.bio}
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_update(
                    user=request.user,
                    display_name=form.cleaned_data["display_name"],
                    bio=form.cleaned_data["bio"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect(request.user.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)
