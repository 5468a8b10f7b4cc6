"""A member's case page (moderators), notes, blocks, lifting blocks, deleting as spam.

Each write view: look up (404 for a missing member or block), send visitors to sign in,
ask the one permission check, call the service, redirect with a message. A ValidationError
re-renders the form with the errors next to their fields and the text kept; a refusal on
POST re-renders it with the reason and status 403."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views import View
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import can
from forum import selectors as forum_selectors
from forum.forms import apply_service_errors
from moderation import selectors, services
from moderation.formatting import format_when
from moderation.forms.members import (
    BlockLiftForm,
    MemberBlockForm,
    MemberSpamForm,
    ModeratorNoteForm,
)
from moderation.models import (
    Block,
    ModerationAction,
)
from moderation.permissions import (
    check_block_member,
    check_delete_spam,
    check_lift_block,
    check_view_case,
)
from moderation.rules import current_rules


def _member_or_404(member_id: int) -> User:
    return get_object_or_404(User, pk=member_id)


def case_url(member: User) -> str:
    return reverse("moderation:member-case", kwargs={"member_id": member.pk})


def _render_case(request, member: User, note_form=None, status=200):
    case = selectors.member_case(member=member)
    user = request.user
    can_lift_bans = user.is_site_admin
    for block in case.blocks:
        block.can_lift = block.state == "active" and (block.kind != Block.Kind.BAN or can_lift_bans)
    banned = case.current_block is not None and case.current_block.kind == Block.Kind.BAN
    context = {
        "member": member,
        "case": case,
        "current_block": case.current_block,
        "current_until": _until(case.current_block, user),
        "note_form": note_form or ModeratorNoteForm(),
        # A banned account can't be blocked or banned again (the services refuse it);
        # its way back is the reversal, offered through the ban's Lift link.
        "can_block": not banned and can(check_block_member, user, member),
        "can_delete_spam": not banned and can(check_delete_spam, user, member),
        "log_url": f"{reverse('moderation:log')}?{urlencode({'member': member.username})}",
    }
    return render(request, "moderation/member_case.html", context, status=status)


def _until(block: Block | None, user) -> str:
    if block is None:
        return ""
    if block.ends_at is None:
        return "until lifted"
    return f"until {format_when(block.ends_at, user)}"


def member_case(request, member_id: int):
    member = _member_or_404(member_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_case(request.user, member)
    return _render_case(request, member)


@require_POST
def note_add(request, member_id: int):
    """Add a private note. Errors re-render the case page with the text kept."""
    member = _member_or_404(member_id)
    if not request.user.is_authenticated:
        return redirect_to_login(case_url(member))
    check_view_case(request.user, member)
    form = ModeratorNoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.moderator_note_add(
                actor=request.user, member=member, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Note added. Only moderators can see it.")
            return redirect(f"{case_url(member)}#note-{note.pk}")
    return _render_case(request, member, note_form=form, status=400)


# --- Blocks -----------------------------------------------------------------------------


class MemberWriteView(View):
    """Look up the member, send visitors to sign in; subclasses name the check."""

    template_name = ""

    def dispatch(self, request, member_id: int):
        self.member = _member_or_404(member_id)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request)

    def check(self, user) -> None:
        raise NotImplementedError

    def context(self, form) -> dict:
        return {}

    def _render(self, request, form, status=200, reason=""):
        context = {
            "member": self.member,
            "form": form,
            "denied_reason": reason,
            "case_url": case_url(self.member),
            **self.context(form),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        self.check(request.user)
        return self._render(request, self.make_form())

    def post(self, request):
        form = self.make_form(request.POST)
        try:
            self.check(request.user)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if form.is_valid():
            try:
                response = self.act(request, form)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return response
        return self._render(request, form, status=400)

    def make_form(self, data=None):
        raise NotImplementedError

    def act(self, request, form):
        raise NotImplementedError


class MemberBlockView(MemberWriteView):
    template_name = "moderation/member_block.html"

    def check(self, user) -> None:
        check_block_member(user, self.member)

    def make_form(self, data=None):
        # Read at POST time too, so a block made meanwhile makes the choice appear.
        self.current_block = selectors.active_block(self.member.pk)
        self.suggestion = selectors.suggested_block_duration(member=self.member)
        current = self.current_block
        # A ban can't be extended or replaced by a block (the service refuses it), so
        # the choice is only offered for an ordinary block.
        blocking = current if current is not None and current.kind == Block.Kind.BLOCK else None
        form = MemberBlockForm(
            data,
            initial={"duration": self.suggestion[0]},
            current_block=blocking,
            current_until=_until(blocking, self.request.user),
        )
        form.fields["duration"].help_text = format_html(
            "<strong>{}</strong> The suggestion steps up with each block in the last six "
            "months (1 day → 3 days → 7 days → 30 days) and back down as they age out.",
            self.suggestion[1],
        )
        return form

    def context(self, form) -> dict:
        key, explanation = self.suggestion
        return {
            "current_block": self.current_block,
            "current_until": _until(self.current_block, self.request.user),
            "is_banned": self.current_block is not None
            and self.current_block.kind == Block.Kind.BAN,
            "suggestion_key": key,
            "suggestion": explanation,
        }

    def act(self, request, form):
        data = form.cleaned_data
        action = services.block_create(
            actor=request.user,
            member=self.member,
            duration=data["duration"],
            rule_codes=data["rules"],
            reason=data["reason"],
            on_existing=data.get("on_existing") or None,
        )
        verb = "extended" if action.kind == ModerationAction.Kind.BLOCK_EXTEND else "blocked"
        until = _until(action.block, request.user)
        if verb == "extended":
            text = f"{self.member.public_name}'s block is extended: it now runs {until}."
        else:
            text = f"{self.member.public_name} is blocked from posting {until}."
        messages.success(request, f"{text} They have been told, in-app and by email.")
        return redirect(case_url(self.member))


class MemberSpamView(MemberWriteView):
    template_name = "moderation/member_spam.html"

    def check(self, user) -> None:
        check_delete_spam(user, self.member)

    def make_form(self, data=None):
        initial = {"rules": ["G4"]} if "G4" in current_rules() else {}
        return MemberSpamForm(data, initial=initial)

    def context(self, form) -> dict:
        return {"visible_posts": forum_selectors.visible_post_count(author=self.member)}

    def act(self, request, form):
        action = services.spam_delete(
            actor=request.user,
            member=self.member,
            rule_codes=form.cleaned_data["rules"],
            note=form.cleaned_data["note"],
        )
        hidden = len(action.details.get("hidden_post_ids", []))
        messages.success(
            request,
            f"Deleted as spam: {hidden} post{'s' if hidden != 1 else ''} hidden and "
            f"{self.member.public_name}'s account banned. An admin can reverse this from the "
            "moderation log.",
        )
        return redirect(case_url(self.member))


class BlockLiftView(View):
    template_name = "moderation/block_lift.html"

    def dispatch(self, request, block_id: int):
        self.block = get_object_or_404(
            Block.objects.select_related("member", "created_by"), pk=block_id
        )
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request)

    def _render(self, request, form, status=200, reason=""):
        block = self.block
        now = timezone.now()
        spam_action = None
        if block.kind == Block.Kind.BAN:
            spam_action = ModerationAction.objects.filter(
                block=block, kind=ModerationAction.Kind.SPAM_DELETE, reversed_by__isnull=True
            ).first()
        context = {
            "lift_block": block,
            "member": block.member,
            "is_active": block.is_active_at(now),
            "state": selectors.block_state(block, now),
            "until": _until(block, request.user),
            "form": form,
            "denied_reason": reason,
            "case_url": case_url(block.member),
            "spam_action": spam_action,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_lift_block(request.user, self.block)
        return self._render(request, BlockLiftForm())

    def post(self, request):
        form = BlockLiftForm(request.POST)
        try:
            check_lift_block(request.user, self.block)
        except PermissionDenied as exc:
            return self._render(request, form, status=403, reason=str(exc))
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            lifted = services.block_lift(
                actor=request.user, block=self.block, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:  # e.g. a spam ban: lifted by reversing the deletion
            apply_service_errors(form, exc)
            return self._render(request, form, status=400)
        member = self.block.member
        if lifted is False:
            messages.info(
                request,
                "That block had already ended or been lifted, so nothing was changed.",
            )
        else:
            messages.success(
                request, f"Block lifted. {member.public_name} has been told, in-app and by email."
            )
        return redirect(case_url(member))
