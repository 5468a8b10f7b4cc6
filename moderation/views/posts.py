"""Hiding a post from readers under a rule, and restoring it unchanged.

Each view: look up the post (404 alike for missing and forbidden), send visitors to sign
in, ask the one check, call the service, go back to the post with a message. Input errors
re-render the form with the text kept; a refusal on POST re-renders it with the reason
and status 403."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from config.views import CheckedFormView
from forum import selectors as forum_selectors
from moderation import selectors, services
from moderation.formatting import rule_phrase
from moderation.forms.posts import PostHideForm, PostRestoreForm
from moderation.models import ModerationAction
from moderation.permissions import check_hide_post


class _PostModerationView(CheckedFormView):
    def load(self, request, *, post_id: int) -> None:
        self.post_obj = forum_selectors.post_get_for_user(user=request.user, post_id=post_id)

    def check(self, user) -> None:
        check_hide_post(user, self.post_obj)

    def _latest_hide(self) -> ModerationAction | None:
        return (
            selectors.actions()
            .filter(kind=ModerationAction.Kind.POST_HIDE, post=self.post_obj)
            .first()
        )

    def get_context_data(self, **context) -> dict:
        post = self.post_obj
        return {
            "post": post,
            "thread": post.thread,
            "board": post.thread.board,
            "hide_action": self._latest_hide() if post.is_hidden else None,
            **context,
        }

    def done(self, action):
        self.tell(self.request, action)
        return HttpResponseRedirect(self.post_obj.get_absolute_url())


class PostHideView(_PostModerationView):
    template_name = "moderation/post_hide.html"
    form_class = PostHideForm

    def act(self, form):
        data = form.cleaned_data
        return services.post_hide(
            actor=self.request.user,
            post=self.post_obj,
            rule_codes=data["rules"],
            note=data["note"],
        )

    def tell(self, request, action):
        if action is False:
            messages.info(request, _("That post was already hidden, so nothing changed."))
            return
        messages.success(
            request,
            _(
                "The post is hidden from readers under %(rules)s. The author has been told "
                "which rule, with your note and how to appeal."
            )
            % {"rules": rule_phrase(action.rules)},
        )


class PostRestoreView(_PostModerationView):
    template_name = "moderation/post_restore.html"
    form_class = PostRestoreForm

    def act(self, form):
        return services.post_restore(
            actor=self.request.user, post=self.post_obj, note=form.cleaned_data["note"]
        )

    def tell(self, request, action):
        if action is False:
            messages.info(request, _("That post was not hidden, so nothing changed."))
            return
        messages.success(
            request,
            _("The post is visible to everyone again, unchanged. The author has been told."),
        )
