"""Members flag a post for moderators: a guideline rule, spam, or something else.

Look up the post (404 alike for missing and forbidden), send visitors to sign in, ask the
one check (blocked members and a post's own author are refused with the reason), call the
service, go back to the post with a thank-you. Errors re-render the form, text kept."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views import View

from accounts.permissions import denial_reason
from forum import selectors as forum_selectors
from forum.forms import apply_service_errors
from moderation import services
from moderation.forms.flags import PostFlagForm
from moderation.permissions import check_flag_post

THANKS = "Thanks — moderators will look at it."


class PostFlagView(View):
    template_name = "moderation/post_flag.html"

    def dispatch(self, request, post_id: int):
        self.post_obj = forum_selectors.post_get_for_user(user=request.user, post_id=post_id)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request)

    def _render(self, request, form, status=200, reason=""):
        post = self.post_obj
        context = {
            "post": post,
            "thread": post.thread,
            "board": post.thread.board,
            "form": form,
            "denied_reason": reason,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        try:
            check_flag_post(request.user, self.post_obj)
        except PermissionDenied as exc:
            # The page still shows which post, with the reason in place of the form.
            return self._render(request, None, status=403, reason=denial_reason(exc))
        return self._render(request, PostFlagForm())

    def post(self, request):
        form = PostFlagForm(request.POST)
        try:
            check_flag_post(request.user, self.post_obj)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=denial_reason(exc))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.flag_create(
                    flagger=request.user,
                    post=self.post_obj,
                    reason=data["reason"],
                    rule_code=data["rule_code"],
                    text=data["text"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, THANKS)
                return HttpResponseRedirect(self.post_obj.get_absolute_url())
        return self._render(request, form, status=400)
