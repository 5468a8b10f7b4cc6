from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View

from accounts.forms import ProfileForm
from accounts.permissions import check_edit_profile
from accounts.selectors import user_get_public
from accounts.services import profile_update
from forum.forms import apply_service_errors
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
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        check_edit_profile(request.user, request.user)
        form = ProfileForm(
            initial={
                "display_name": request.user.display_name,
                "bio": request.user.bio,
                "time_zone": request.user.time_zone,
            }
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ProfileForm(request.POST)
        try:
            check_edit_profile(request.user, request.user)
        except PermissionDenied as exc:
            context = {"form": form, "denied_reason": str(exc)}
            return render(request, self.template_name, context, status=403)
        if form.is_valid():
            try:
                profile_update(
                    user=request.user,
                    display_name=form.cleaned_data["display_name"],
                    bio=form.cleaned_data["bio"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect(request.user.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)
