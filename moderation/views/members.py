"""A member's case page (moderators), notes, blocks, lifting blocks, deleting as spam.

Each write view: look up (404 for a missing member or block), send visitors to sign in,
ask the one permission check, call the service, redirect with a message. A ValidationError
re-renders the form with the errors next to their fields and the text kept; a refusal on
POST re-renders it with the reason and status 403."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.permissions import can
from config.views import CheckedFormView
from forum import selectors as forum_selectors
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
        return _("until lifted")
    return _("until %(when)s") % {"when": format_when(block.ends_at, user)}


def member_case(request, member_id: int):
    member = selectors.member_get(member_id=member_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_case(request.user, member)
    return _render_case(request, member)


class NoteAddView(CheckedFormView):
    """Add a private note. Errors re-render the case page with the text kept."""

    http_method_names = ["post"]
    form_class = ModeratorNoteForm

    def load(self, request, *, member_id: int) -> None:
        self.member = selectors.member_get(member_id=member_id)

    def login_next(self) -> str:
        return case_url(self.member)

    def check(self, user) -> None:
        check_view_case(user, self.member)

    def render_form(self, form, *, status: int = 200, reason: str = ""):
        if reason:
            # The case page is for moderators only: a refusal is the site's 403 page.
            raise PermissionDenied(reason)
        return _render_case(self.request, self.member, note_form=form, status=status)

    def act(self, form):
        return services.moderator_note_add(
            actor=self.request.user, member=self.member, text=form.cleaned_data["text"]
        )

    def done(self, note):
        messages.success(self.request, _("Note added. Only moderators can see it."))
        return redirect(f"{case_url(self.member)}#note-{note.pk}")


note_add = NoteAddView.as_view()


# --- Blocks -----------------------------------------------------------------------------


class MemberWriteView(CheckedFormView):
    """Look up the member, send visitors to sign in; subclasses name the check."""

    def load(self, request, *, member_id: int) -> None:
        self.member = selectors.member_get(member_id=member_id)

    def context(self, form) -> dict:
        return {}

    def get_context_data(self, **context) -> dict:
        return {
            "member": self.member,
            "case_url": case_url(self.member),
            **self.context(context["form"]),
            **context,
        }


class MemberBlockView(MemberWriteView):
    template_name = "moderation/member_block.html"
    form_class = MemberBlockForm

    def check(self, user) -> None:
        check_block_member(user, self.member)

    def get_form_kwargs(self) -> dict:
        # Read at POST time too, so a block made meanwhile makes the choice appear.
        self.current_block = selectors.active_block(self.member.pk)
        self.suggestion = selectors.suggested_block_duration(member=self.member)
        current = self.current_block
        # A ban can't be extended or replaced by a block (the service refuses it), so
        # the choice is only offered for an ordinary block.
        blocking = current if current is not None and current.kind == Block.Kind.BLOCK else None
        return {
            "initial": {"duration": self.suggestion[0]},
            "current_block": blocking,
            "current_until": _until(blocking, self.request.user),
        }

    def context(self, form) -> dict:
        key, explanation = self.suggestion
        form.fields["duration"].help_text = format_html(
            "<strong>{}</strong> {}",
            explanation,
            _(
                "The suggestion steps up with each block in the last six months (1 day → 3 days "
                "→ 7 days → 30 days) and back down as they age out."
            ),
        )
        return {
            "current_block": self.current_block,
            "current_until": _until(self.current_block, self.request.user),
            "is_banned": self.current_block is not None
            and self.current_block.kind == Block.Kind.BAN,
            "suggestion_key": key,
            "suggestion": explanation,
        }

    def act(self, form):
        data = form.cleaned_data
        return services.block_create(
            actor=self.request.user,
            member=self.member,
            duration=data["duration"],
            rule_codes=data["rules"],
            reason=data["reason"],
            on_existing=data.get("on_existing") or None,
        )

    def done(self, action):
        words = {
            "name": self.member.public_name,
            "until": _until(action.block, self.request.user),
        }
        if action.kind == ModerationAction.Kind.BLOCK_EXTEND:
            text = _(
                "%(name)s's block is extended: it now runs %(until)s. They have been told, "
                "in-app and by email."
            )
        else:
            text = _(
                "%(name)s is blocked from posting %(until)s. They have been told, in-app and "
                "by email."
            )
        messages.success(self.request, text % words)
        return redirect(case_url(self.member))


class MemberSpamView(MemberWriteView):
    template_name = "moderation/member_spam.html"
    form_class = MemberSpamForm

    def check(self, user) -> None:
        check_delete_spam(user, self.member)

    def get_form_kwargs(self) -> dict:
        return {"initial": {"rules": ["G4"]} if "G4" in current_rules() else {}}

    def context(self, form) -> dict:
        return {"visible_posts": forum_selectors.visible_post_count(author=self.member)}

    def act(self, form):
        return services.spam_delete(
            actor=self.request.user,
            member=self.member,
            rule_codes=form.cleaned_data["rules"],
            note=form.cleaned_data["note"],
        )

    def done(self, action):
        hidden = len(action.details.get("hidden_post_ids", []))
        messages.success(
            self.request,
            ngettext(
                "Deleted as spam: %(count)s post hidden and %(name)s's account banned. An admin "
                "can reverse this from the moderation log.",
                "Deleted as spam: %(count)s posts hidden and %(name)s's account banned. An admin "
                "can reverse this from the moderation log.",
                hidden,
            )
            % {"count": hidden, "name": self.member.public_name},
        )
        return redirect(case_url(self.member))


class BlockLiftView(CheckedFormView):
    template_name = "moderation/block_lift.html"
    form_class = BlockLiftForm

    def load(self, request, *, block_id: int) -> None:
        self.block = selectors.block_get(block_id=block_id)

    def check(self, user) -> None:
        check_lift_block(user, self.block)

    def get_context_data(self, **context) -> dict:
        block = self.block
        now = timezone.now()
        return {
            "lift_block": block,
            "member": block.member,
            "is_active": block.is_active_at(now),
            "state": selectors.block_state(block, now),
            "until": _until(block, self.request.user),
            "case_url": case_url(block.member),
            "spam_action": selectors.spam_deletion_of_ban(block)
            if block.kind == Block.Kind.BAN
            else None,
            **context,
        }

    def act(self, form):
        # A spam ban's ValidationError says it is lifted by reversing the deletion.
        return services.block_lift(
            actor=self.request.user, block=self.block, note=form.cleaned_data["note"]
        )

    def done(self, lifted):
        member = self.block.member
        if lifted is False:
            messages.info(
                self.request,
                _("That block had already ended or been lifted, so nothing was changed."),
            )
        else:
            messages.success(
                self.request,
                _("Block lifted. %(name)s has been told, in-app and by email.")
                % {"name": member.public_name},
            )
        return redirect(case_url(member))
