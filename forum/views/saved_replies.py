"""Staff's saved replies: the management page (list, add, change, delete with a
confirmation), and their use in a thread's reply box — the filled text as JSON for the
page script, and the same without JavaScript as a reply form with the text added."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can
from config.views import CheckedFormView
from forum import ratelimit, selectors
from forum.forms import PostForm, SavedReplyForm
from forum.permissions import check_manage_saved_reply, check_reply, check_use_saved_replies
from forum.saved_reply_text import PLACEHOLDERS, unknown_placeholders
from forum.selectors import saved_replies as saved_reply_selectors
from forum.services import saved_replies as saved_reply_services


def _refuse(request):
    """Visitors sign in and come back; anyone else is asked the one check (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_use_saved_replies(request.user)
    return None


def _warn_unknown(request, saved_reply) -> None:
    unknown = unknown_placeholders(saved_reply.body)
    if unknown:
        messages.warning(request, _unknown_text(unknown))


def _unknown_text(unknown: list[str]) -> str:
    return gettext(
        "Not a placeholder we know: %(names)s. It is inserted exactly as typed — check the "
        "spelling against the list of placeholders."
    ) % {"names": ", ".join(unknown)}


@never_cache
def saved_reply_list(request):
    refusal = _refuse(request)
    if refusal:
        return refusal
    replies = saved_reply_selectors.saved_reply_list(user=request.user)
    for reply in replies:
        reply.unknown = unknown_placeholders(reply.body)
        reply.can_change = can(check_manage_saved_reply, request.user, reply)
    return render(
        request,
        "forum/saved_reply_list.html",
        {
            "team_replies": [r for r in replies if r.owner_id is None],
            "own_replies": [r for r in replies if r.owner_id is not None],
            "placeholders": PLACEHOLDERS,
        },
    )


class _SavedReplyFormView(CheckedFormView):
    template_name = "forum/saved_reply_form.html"
    form_class = SavedReplyForm
    refusal_shows_form = False
    saved_reply = None
    done_text = ""

    def check(self, user) -> None:
        check_manage_saved_reply(user, self.saved_reply)

    def write_context(self):
        return ratelimit.spending()

    def get_context_data(self, **context) -> dict:
        form = context.get("form")
        body = form["body"].value() if form is not None else ""
        unknown = unknown_placeholders(body or "")
        return {
            "saved_reply": self.saved_reply,
            "placeholders": PLACEHOLDERS,
            "unknown_warning": _unknown_text(unknown) if unknown else "",
            **context,
        }

    def service_kwargs(self, data) -> dict:
        return {
            "actor": self.request.user,
            "title": data["title"],
            "body": data["body"],
            "personal": data["scope"] == "personal",
        }

    def done(self, saved_reply):
        messages.success(self.request, self.done_text % {"title": saved_reply.title})
        _warn_unknown(self.request, saved_reply)
        return redirect("forum:saved-reply-list")


class SavedReplyCreateView(_SavedReplyFormView):
    done_text = _("Saved reply “%(title)s” added.")

    def act(self, form):
        return saved_reply_services.saved_reply_create(**self.service_kwargs(form.cleaned_data))


class SavedReplyEditView(_SavedReplyFormView):
    done_text = _("Saved reply “%(title)s” changed.")

    def load(self, request, *, saved_reply_id: int) -> None:
        if request.user.is_authenticated:
            check_use_saved_replies(request.user)
            self.saved_reply = saved_reply_selectors.saved_reply_get_for_user(
                user=request.user, saved_reply_id=saved_reply_id
            )

    def get_form_kwargs(self) -> dict:
        reply = self.saved_reply
        scope = "personal" if reply.owner_id else "team"
        return {"initial": {"title": reply.title, "body": reply.body, "scope": scope}}

    def act(self, form):
        return saved_reply_services.saved_reply_update(
            saved_reply=self.saved_reply, **self.service_kwargs(form.cleaned_data)
        )


class SavedReplyDeleteView(View):
    """Asks once more, then deletes."""

    def dispatch(self, request, saved_reply_id: int):
        refusal = _refuse(request)
        if refusal:
            return refusal
        self.saved_reply = saved_reply_selectors.saved_reply_get_for_user(
            user=request.user, saved_reply_id=saved_reply_id
        )
        return super().dispatch(request)

    def get(self, request):
        check_manage_saved_reply(request.user, self.saved_reply)
        return render(request, "forum/saved_reply_delete.html", {"saved_reply": self.saved_reply})

    @ratelimit.spends_budget
    def post(self, request):
        check_manage_saved_reply(request.user, self.saved_reply)
        deleted = saved_reply_services.saved_reply_delete(
            saved_reply=self.saved_reply, actor=request.user
        )
        if deleted:
            messages.success(
                request,
                gettext("Saved reply “%(title)s” deleted.") % {"title": self.saved_reply.title},
            )
        return redirect("forum:saved-reply-list")


@require_POST
def saved_reply_use(request, saved_reply_id: int):
    """The page script counts an insert here, so the picker lists the most used first."""
    refusal = _refuse(request)
    if refusal:
        return refusal
    saved_reply = saved_reply_selectors.saved_reply_get_for_user(
        user=request.user, saved_reply_id=saved_reply_id
    )
    saved_reply_services.saved_reply_record_use(saved_reply=saved_reply)
    return HttpResponse(status=204)


def _thread_and_reply(request, thread_id: int, saved_reply_id):
    check_use_saved_replies(request.user)
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    saved_reply = saved_reply_selectors.saved_reply_get_for_user(
        user=request.user, saved_reply_id=saved_reply_id
    )
    body = saved_reply_selectors.saved_reply_filled(
        saved_reply=saved_reply, thread=thread, user=request.user
    )
    return thread, saved_reply, body


@never_cache
@require_GET
def thread_saved_reply(request, thread_id: int, saved_reply_id: int):
    """``{"title", "body"}``: the reply filled for this thread, as Markdown source. Reads
    only; staff only (a 403 with the reason as JSON for anyone else)."""
    try:
        _thread, saved_reply, body = _thread_and_reply(request, thread_id, saved_reply_id)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    return JsonResponse({"id": saved_reply.pk, "title": saved_reply.title, "body": body})


@require_POST
def thread_reply_insert(request, thread_id: int):
    """Without JavaScript: the reply box's "Insert" button posts the form here, and the
    reply form comes back with the saved reply added after what was typed (an attached
    image has to be chosen again)."""
    refusal = _refuse(request)
    if refusal:
        return refusal
    raw_id = request.POST.get("saved_reply", "")
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10):
        raw_id = "0"
    typed = request.POST.get("body", "")
    thread, saved_reply, body = _thread_and_reply(request, thread_id, int(raw_id))
    check_reply(request.user, thread)
    saved_reply_services.saved_reply_record_use(saved_reply=saved_reply)
    if typed.strip():
        body = typed.rstrip() + "\n\n" + body
    key = request.POST.get("submission_key", "")[:64]
    form = PostForm(initial={"body": body, **({"submission_key": key} if key else {})})
    messages.info(
        request,
        gettext("“%(title)s” added to your reply. Edit it as you need, then post it.")
        % {"title": saved_reply.title},
    )
    return render(
        request,
        "forum/thread_reply.html",
        {
            "thread": thread,
            "board": thread.board,
            "form": form,
            **thread_context(request, thread),
        },
    )


def thread_context(request, thread) -> dict:
    """The saved replies a staff member can insert in this thread's reply box (one
    query); nothing, and no query, for anyone else."""
    if not can(check_use_saved_replies, request.user):
        return {"saved_replies": None}
    return {
        "saved_replies": saved_reply_selectors.saved_reply_choices(user=request.user),
        "saved_replies_manage_url": reverse("forum:saved-reply-list"),
    }
