"""Hiding a post from readers under a rule, and restoring it unchanged.

Each view: look up the post (404 alike for missing and forbidden), send visitors to sign
in, ask the one check, call the service, go back to the post with a message. Input errors
re-render the form with the text kept; a refusal on POST re-renders it with the reason
and status 403."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views import View

from forum import selectors as forum_selectors
from forum.forms import apply_service_errors
from moderation import selectors, services
from moderation.formatting import rule_phrase
from moderation.forms.posts import PostHideForm, PostRestoreForm
from moderation.models import ModerationAction
from moderation.permissions import check_hide_post


class _PostModerationView(View):
    template_name = ""
    form_class = None

    def dispatch(self, request, post_id: int):
        self.post_obj = forum_selectors.post_get_for_user(user=request.user, post_id=post_id)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request)

    def _latest_hide(self) -> ModerationAction | None:
        return (
            selectors.actions()
            .filter(kind=ModerationAction.Kind.POST_HIDE, post=self.post_obj)
            .first()
        )

    def _render(self, request, form, status=200, reason=""):
        post = self.post_obj
        context = {
            "post": post,
            "thread": post.thread,
            "board": post.thread.board,
            "form": form,
            "denied_reason": reason,
            "hide_action": self._latest_hide() if post.is_hidden else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_hide_post(request.user, self.post_obj)
        return self._render(request, self.form_class())

    def post(self, request):
        form = self.form_class(request.POST)
        try:
            check_hide_post(request.user, self.post_obj)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            try:
                done = self.act(request, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                self.tell(request, done)
                return HttpResponseRedirect(self.post_obj.get_absolute_url())
        return self._render(request, form, status=400)


class PostHideView(_PostModerationView):
    template_name = "moderation/post_hide.html"
    form_class = PostHideForm

    def act(self, request, data):
        return services.post_hide(
            actor=request.user, post=self.post_obj, rule_codes=data["rules"], note=data["note"]
        )

    def tell(self, request, action):
        if action is False:
            messages.info(request, "That post was already hidden, so nothing changed.")
            return
        messages.success(
            request,
            f"The post is hidden from readers under {rule_phrase(action.rules)}. The author "
            "has been told which rule, with your note and how to appeal.",
        )


class PostRestoreView(_PostModerationView):
    template_name = "moderation/post_restore.html"
    form_class = PostRestoreForm

    def act(self, request, data):
        return services.post_restore(actor=request.user, post=self.post_obj, note=data["note"])

    def tell(self, request, action):
        if action is False:
            messages.info(request, "That post was not hidden, so nothing changed.")
            return
        messages.success(
            request, "The post is visible to everyone again, unchanged. The author has been told."
        )
