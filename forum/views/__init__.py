"""Forum pages. Each write view: look up (404 alike for missing and forbidden), ask the one
permission check, call the service, redirect. Errors re-render the form with the text kept."""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import can
from forum import ratelimit, selectors, services, status
from forum.forms import PostEditForm, PostForm, ThreadForm, apply_service_errors
from forum.models import Board
from forum.permissions import (
    check_edit_post,
    check_reply,
    check_start_thread,
    check_view_revisions,
    posting_during_lock,
)
from moderation.permissions import (
    active_block_for,
    is_exempt_from_lockdowns,
    lockdown_message,
    lockdowns_for,
)
from moderation.services import review_item_open_for_screening
from moderation.spam.screening import screen_post

HELD_MESSAGE = (
    "Your post is held for review — a moderator will look at it soon. Until then only you "
    "can see it."
)


def _screen(request, *, title: str, body: str, exclude_post_id: int | None = None) -> dict:
    """Spam screening for a member's thread, reply or edit, asked here rather than in the
    forum's services: the forum's core must not know moderation, and the face may use both.
    Called before the service's transaction, since it may wait up to seconds on Akismet.
    A "block" is raised as the body field's error, so the form keeps the text."""
    result = screen_post(
        author=request.user,
        title=title,
        body=body,
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT") or None,
        exclude_post_id=exclude_post_id,
    )
    if result.action == "block":
        raise ValidationError({"body": result.message or "This post can't be published."})
    return {"action": result.action, "score": result.score, "reasons": list(result.reasons)}


def _after_screening(post, screening: dict) -> None:
    """A held or flagged post goes to the review queue, in the transaction that wrote it."""
    if screening["action"] in ("hold", "flag"):
        review_item_open_for_screening(post=post, screening=screening)


class SignedInWriteMixin:
    """Visitors are sent to sign in and brought back; everyone else gets the check's reason."""

    def handle_no_permission_for_visitor(self, request):
        return redirect_to_login(request.get_full_path())


logger = logging.getLogger("porchlight.forum")


def lockdown_banners(lockdowns, user) -> list[dict]:
    """What the banner says: moderators acted, why, until when, where to go. The
    moderator's name is shown to staff and moderators only."""
    show_names = is_exempt_from_lockdowns(user)
    return [
        {
            "kind": lockdown.kind,
            "text": lockdown_message(lockdown, user=user),
            "rules": lockdown.rules,
            "moderator": lockdown.created_by.public_name if show_names else "",
            "lockdown": lockdown,
        }
        for lockdown in lockdowns
    ]


def board_index(request):
    return render(request, "forum/board_index.html", {"boards": selectors.board_list()})


def board_detail(request, board_slug: str):
    from forum.filters import ThreadFilter

    board = selectors.board_get(slug=board_slug)
    request.current_board = board
    filterset = ThreadFilter(request.GET or None, board=board)
    page = selectors.thread_page_for_board(
        board=board, page_number=request.GET.get("page"), filterset=filterset
    )
    if request.user.is_authenticated:
        from forum.views.reading import annotate_unread

        page.object_list = list(page.object_list)
        annotate_unread(request, page.object_list)
    return render(
        request,
        "forum/board_detail.html",
        {
            "board": board,
            "page": page,
            "filterset": filterset,
            "filter_form": filterset.form,
            "can_start_thread": can(check_start_thread, request.user, board),
            "lockdown_banners": lockdown_banners(lockdowns_for(board=board), request.user),
        },
    )


class ThreadCreateView(SignedInWriteMixin, View):
    template_name = "forum/thread_create.html"

    def dispatch(self, request, board_slug: str):
        self.board = selectors.board_get(slug=board_slug)
        request.current_board = self.board
        if not request.user.is_authenticated:
            return self.handle_no_permission_for_visitor(request)
        return super().dispatch(request)

    def _render(self, request, form, status=200, reason=""):
        context = {"board": self.board, "form": form, "denied_reason": reason}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_start_thread(request.user, self.board)
        return self._render(request, ThreadForm())

    @ratelimit.spends_budget
    def post(self, request):
        form = ThreadForm(request.POST)
        try:
            check_start_thread(request.user, self.board)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            try:
                title, body = form.cleaned_data["title"], form.cleaned_data["body"]
                screening = _screen(request, title=title, body=body)
                with transaction.atomic():
                    thread = services.thread_create(
                        board=self.board,
                        author=request.user,
                        title=title,
                        body=body,
                        submission_key=form.cleaned_data["submission_key"],
                        screening=screening,
                    )
                    _after_screening(thread.last_post, screening)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if thread.last_post.held_at is not None:
                    messages.warning(request, HELD_MESSAGE)
                return redirect(thread)
        return self._render(request, form, status=400)


def thread_state_context(user, thread) -> dict:
    """The thread's banners and its reply box as this reader sees them. Shared by the
    thread page and its live banners fragment, so a lock arriving live changes the page
    exactly as a reload would."""
    reply_refusal = ""
    try:
        check_reply(user, thread)
    except PermissionDenied as exc:
        reply_refusal = str(exc)
    lockdowns = lockdowns_for(thread=thread)
    is_locked = any(lockdown.kind == "lock" for lockdown in lockdowns)
    return {
        "lockdown_banners": lockdown_banners(lockdowns, user),
        "can_reply": not reply_refusal,
        "reply_refusal": reply_refusal,
        # The banner above already explains a lock; the reply box just points to it.
        "reply_paused_by_lock": bool(reply_refusal)
        and is_locked
        and user.is_authenticated
        and active_block_for(user) is None,
        "replying_during_lock": not reply_refusal and is_locked,
        "viewer_blocked": active_block_for(user) is not None,
        "reply_form": None if reply_refusal else PostForm(),
        "reply_held": selectors.thread_is_held(thread),
    }


def thread_detail(request, thread_id: int):
    from forum.views import answers, notifications, reading, statuses

    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    request.current_board = thread.board
    landing = reading.first_unread_redirect(request, thread)
    if landing is not None:
        return landing
    page = selectors.post_page_for_thread(
        thread=thread, page_number=request.GET.get("page"), viewer=request.user
    )
    posts = list(page.object_list)
    context = {
        "thread": thread,
        "board": thread.board,
        "page": page,
        "posts": posts,
        **thread_state_context(request.user, thread),
        **answers.thread_context(request, thread, posts),
        **statuses.thread_context(request, thread, posts, page),
        **notifications.thread_context(request, thread),
        **reading.thread_context(request, thread, posts),
    }
    return render(request, "forum/thread_detail.html", context)


class ThreadReplyView(SignedInWriteMixin, View):
    """The reply form posts here. On error the full-page form shows what went wrong, with the
    text kept."""

    template_name = "forum/thread_reply.html"

    def dispatch(self, request, thread_id: int):
        self.thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
        request.current_board = self.thread.board
        if not request.user.is_authenticated:
            return self.handle_no_permission_for_visitor(request)
        return super().dispatch(request)

    def _render(self, request, form, status=200, reason=""):
        context = {
            "thread": self.thread,
            "board": self.thread.board,
            "form": form,
            "denied_reason": reason,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_reply(request.user, self.thread)
        return self._render(request, PostForm())

    @ratelimit.spends_budget
    def post(self, request):
        form = PostForm(request.POST)
        try:
            check_reply(request.user, self.thread)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            try:
                body = form.cleaned_data["body"]
                screening = _screen(request, title="", body=body)
                with transaction.atomic():
                    post = services.post_create(
                        thread=self.thread,
                        author=request.user,
                        body=body,
                        submission_key=form.cleaned_data["submission_key"],
                        posted_during_lock=posting_during_lock(request.user, self.thread),
                        screening=screening,
                    )
                    _after_screening(post, screening)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if post.held_at is not None:
                    messages.warning(request, HELD_MESSAGE)
                return HttpResponseRedirect(_post_url(post))
        return self._render(request, form, status=400)


def _post_url(post) -> str:
    page = selectors.post_page_number(post=post)
    url = reverse("forum:thread-detail", kwargs={"thread_id": post.thread_id})
    if page > 1:
        url += f"?page={page}"
    return f"{url}#post-{post.pk}"


def post_permalink(request, post_id: int):
    post = selectors.post_get_for_user(user=request.user, post_id=post_id)
    return HttpResponseRedirect(_post_url(post))


class PostEditView(SignedInWriteMixin, View):
    template_name = "forum/post_edit.html"

    def dispatch(self, request, post_id: int):
        self.post_obj = selectors.post_get_for_user(user=request.user, post_id=post_id)
        if not request.user.is_authenticated:
            return self.handle_no_permission_for_visitor(request)
        return super().dispatch(request)

    def _render(self, request, form, status=200, reason=""):
        context = {
            "post": self.post_obj,
            "thread": self.post_obj.thread,
            "board": self.post_obj.thread.board,
            "form": form,
            "denied_reason": reason,
        }
        return render(request, self.template_name, context, status=status)

    def _form(self, data=None):
        initial = {"body": self.post_obj.body, "title": self.post_obj.thread.title}
        return PostEditForm(data, initial=initial, edits_title=self.post_obj.is_opening_post)

    def get(self, request):
        check_edit_post(request.user, self.post_obj)
        return self._render(request, self._form())

    @ratelimit.spends_budget
    def post(self, request):
        form = self._form(request.POST)
        try:
            check_edit_post(request.user, self.post_obj)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            try:
                body, title = form.cleaned_data["body"], form.cleaned_data.get("title")
                screening = _screen(
                    request,
                    title=title if self.post_obj.is_opening_post and title else "",
                    body=body,
                    exclude_post_id=self.post_obj.pk,
                )
                with transaction.atomic():
                    changed = services.post_edit(
                        post=self.post_obj,
                        editor=request.user,
                        body=body,
                        title=title,
                        screening=screening,
                    )
                    if changed:
                        _after_screening(self.post_obj, screening)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if changed and self.post_obj.held_at is not None:
                    messages.warning(request, HELD_MESSAGE)
                elif changed:
                    messages.success(
                        request, "Your changes are saved; the earlier version is kept."
                    )
                else:
                    messages.info(request, "Nothing changed, so there was nothing to save.")
                return HttpResponseRedirect(_post_url(self.post_obj))
        return self._render(request, form, status=400)


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


# --- Notices and status ------------------------------------------------------------------


def notices_fragment(request):
    """The notices block for a page, for live refreshes (no layout). ``?board=<slug>``
    gives the notices of that board's pages."""
    slug = request.GET.get("board")
    if slug:
        request.current_board = Board.objects.filter(slug=slug).first()
    return render(request, "includes/notices.html")


@require_POST
def notice_dismiss(request, notice_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or "/")
    notice = selectors.notice_get(notice_id=notice_id)
    try:
        services.notice_dismiss(notice=notice, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    # Not redirect(): it would try a bare word such as "0" as a URL name and fail.
    return HttpResponseRedirect(_safe_next(request))


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def status_page(request):
    """Current and past notices. If the database cannot be reached, the saved copy is
    served instead of an error page (written at every migrate and notice change)."""
    try:
        html = status.render_status(request=request)
    except DatabaseError:
        logger.warning("Database unreachable: serving the status page copy")
        path = status.snapshot_path()
        if path.exists():
            response = HttpResponse(path.read_bytes(), content_type="text/html; charset=utf-8")
            response["X-Status-Copy"] = "1"
            return response
        response = HttpResponse(status.render_status_unavailable(), status=503)
        response["Retry-After"] = "60"
        return response
    if not status.snapshot_path().exists():
        # The copy's directory was emptied since the last migrate (a new volume, a
        # cleaned tmp): put one back while the database is here to make it.
        status.write_status_snapshot()
    return HttpResponse(html)
