"""A post: its permanent address, editing it, its earlier versions."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext

from config.views import CheckedFormView
from forum import ratelimit, selectors, services
from forum.forms import PostEditForm
from forum.permissions import check_edit_post, check_view_revisions
from forum.views.attachments import body_with_image
from forum.views.pages import post_url
from forum.views.screening import HELD_MESSAGE, after_screening, screen


def post_permalink(request, post_id: int):
    post = selectors.post_get_for_user(user=request.user, post_id=post_id)
    return HttpResponseRedirect(post_url(post))


class PostEditView(CheckedFormView):
    template_name = "forum/post_edit.html"
    form_class = PostEditForm

    def load(self, request, *, post_id: int) -> None:
        self.post_obj = selectors.post_get_for_user(user=request.user, post_id=post_id)

    def check(self, user) -> None:
        check_edit_post(user, self.post_obj)

    def write_context(self):
        return ratelimit.spending()

    def get_form_kwargs(self) -> dict:
        post = self.post_obj
        return {
            "initial": {"body": post.body, "title": post.thread.title},
            "edits_title": post.is_opening_post,
        }

    def get_context_data(self, **context) -> dict:
        post = self.post_obj
        return {"post": post, "thread": post.thread, "board": post.thread.board, **context}

    def act(self, form):
        post = self.post_obj
        title = form.cleaned_data.get("title")
        body = body_with_image(self.request, form, form.cleaned_data["body"])
        screening = screen(
            self.request,
            title=title if post.is_opening_post and title else "",
            body=body,
            exclude_post_id=post.pk,
        )
        with transaction.atomic():
            changed = services.post_edit(
                post=post, editor=self.request.user, body=body, title=title, screening=screening
            )
            if changed:
                after_screening(post, screening)
        return changed

    def done(self, changed):
        if changed and self.post_obj.held_at is not None:
            messages.warning(self.request, HELD_MESSAGE)
        elif changed:
            messages.success(
                self.request, gettext("Your changes are saved; the earlier version is kept.")
            )
        else:
            messages.info(self.request, gettext("Nothing changed, so there was nothing to save."))
        return HttpResponseRedirect(post_url(self.post_obj))


def post_revisions(request, post_id: int):
    post = selectors.post_get_for_user(user=request.user, post_id=post_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_revisions(request.user, post)
    return render(
        request,
        "forum/post_revisions.html",
        {
            "post": post,
            "thread": post.thread,
            "board": post.thread.board,
            "revisions": selectors.post_revisions(post=post),
        },
    )
