"""Members flag a post for moderators: a guideline rule, spam, or something else.

Look up the post (404 alike for missing and forbidden), send visitors to sign in, ask the
one check (blocked members and a post's own author are refused with the reason), call the
service, go back to the post with a thank-you. Errors re-render the form, text kept."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext, gettext_noop

from config.views import CheckedFormView
from forum import selectors as forum_selectors
from moderation import services
from moderation.forms.flags import PostFlagForm
from moderation.permissions import check_flag_post

THANKS = gettext_noop("Thanks — moderators will look at it.")


class PostFlagView(CheckedFormView):
    template_name = "moderation/post_flag.html"
    form_class = PostFlagForm
    # The page still shows which post, with the reason in place of the form.
    refusal_in_page = True

    def load(self, request, *, post_id: int) -> None:
        self.post_obj = forum_selectors.post_get_for_user(user=request.user, post_id=post_id)

    def check(self, user) -> None:
        check_flag_post(user, self.post_obj)

    def get_context_data(self, **context) -> dict:
        post = self.post_obj
        return {"post": post, "thread": post.thread, "board": post.thread.board, **context}

    def act(self, form):
        data = form.cleaned_data
        return services.flag_create(
            flagger=self.request.user,
            post=self.post_obj,
            reason=data["reason"],
            rule_code=data["rule_code"],
            text=data["text"],
        )

    def done(self, flag):
        messages.success(self.request, gettext(THANKS))
        return HttpResponseRedirect(self.post_obj.get_absolute_url())
