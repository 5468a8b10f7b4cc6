"""A member appeals a moderation action taken against them, once per action.

Visitors are sent to sign in first (so nothing says whether an action exists); an action
that is missing, not against this member, or not appealable is the same 404. The one
check refuses a second appeal or an action already reversed; blocked members may appeal."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.views import CheckedFormView
from moderation import selectors, services
from moderation.formatting import format_when, rule_phrase
from moderation.forms.appeals import AppealForm
from moderation.models import ModerationAction
from moderation.permissions import check_appeal
from moderation.rules import current_rules

Kind = ModerationAction.Kind

# What happened, in the member's words (the log's labels are written for moderators).
MEMBER_WORDS = {
    Kind.POST_HIDE: gettext_lazy("Moderators hid one of your posts from readers"),
    Kind.BLOCK: gettext_lazy("Moderators blocked your account from posting"),
    Kind.BLOCK_EXTEND: gettext_lazy("Moderators extended the block on your account"),
    Kind.LOCK: gettext_lazy("Moderators locked your thread"),
    Kind.SLOW_MODE: gettext_lazy("Moderators put your thread in slow mode"),
    Kind.SPAM_DELETE: gettext_lazy("Moderators hid your posts as spam and banned the account"),
}


class AppealCreateView(CheckedFormView):
    template_name = "moderation/appeal_create.html"
    form_class = AppealForm
    refusal_in_page = True

    def dispatch(self, request, *args, **kwargs):
        # Visitors sign in before the lookup, so nothing says whether an action exists.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, *, action_id: int) -> None:
        self.action = selectors.action_get_for_member(member=request.user, action_id=action_id)

    def check(self, user) -> None:
        check_appeal(user, self.action)

    def get_context_data(self, **context) -> dict:
        action, user = self.action, self.request.user
        rules = current_rules()
        block = action.block if action.block_id else None
        until = ""
        if block is not None and action.kind in (Kind.BLOCK, Kind.BLOCK_EXTEND):
            until = format_when(block.ends_at, user) if block.ends_at else _("until lifted")
        return {
            "action": action,
            "what": MEMBER_WORDS.get(action.kind, action.get_kind_display()),
            "rule_words": rule_phrase(action.rules),
            "cited_rules": [rules[code] for code in action.rules if code in rules],
            "when": format_when(action.created_at, user),
            "until": until,
            "thread": action.thread or (action.post.thread if action.post_id else None),
            "existing_appeal": getattr(action, "appeal", None),
            **context,
        }

    def act(self, form):
        return services.appeal_create(
            member=self.request.user, action=self.action, text=form.cleaned_data["text"]
        )

    def done(self, appeal):
        messages.success(
            self.request,
            _(
                "Your appeal is with the moderators. A moderator other than the one who "
                "acted will decide it, and you will be told the outcome here and by email."
            ),
        )
        return redirect("moderation:inbox")
