"""Sitewide notices: the admins' form, the thread reference it reads and the local date
and time field (moderation's lockdown form uses it too)."""

import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.timezones import member_zone
from config.i18n import grouped_number
from forum.dates import validate_site_date
from forum.models import TITLE_MAX, TITLE_MIN, Notice
from forum.selectors import notice_thread_find
from forum.selectors.board_choices import boards_in_order, boards_open_for_threads
from forum.services import validate_notice, validate_title

_THREAD_PATH = re.compile(r"^/t/(\d+)(?:/.*)?$")
_THREAD_NUMBER = re.compile(r"^#?(\d+)$")


def parse_thread_reference(text: str, *, hosts: frozenset[str] = frozenset()) -> int:
    """A thread number from what an admin typed: ``12``, ``#12``, ``/t/12/`` or a pasted
    address such as ``https://forum.example/t/12/?page=2#post-5``. Addresses on another
    site (a host not in ``hosts``, when given) are refused rather than silently read as
    one of ours."""
    text = text.strip()
    if match := _THREAD_NUMBER.match(text):
        return int(match.group(1))
    if "://" not in text and not text.startswith("/"):
        text = "//" + text if "/" in text and "." in text.split("/", 1)[0] else "/" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if host and hosts and host not in hosts:
        raise ValidationError(
            gettext(
                "That link points to another site (%(host)s). Paste the link of a "
                "thread here, or just its number."
            )
            % {"host": host},
            code="other_site",
        )
    if match := _THREAD_PATH.match(parts.path):
        return int(match.group(1))
    raise ValidationError(
        gettext("Write the thread's number (e.g. 12) or paste its link (e.g. /t/12/)."),
        code="invalid",
    )


DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown in the person's own time zone (not the
    site's): "18:00" means 18:00 where they are. Forms set ``zone`` from
    ``accounts.timezones.member_zone(user)``; DST gaps and overlaps are refused by Django."""

    input_formats = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    default_validators = [validate_site_date]

    def __init__(self, *, zone=None, **kwargs):
        self.zone = zone or ZoneInfo("UTC")
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
        )
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a date and time, e.g. 2026-11-25 18:00.")}
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)


LEVEL_CHOICES = [
    (
        Notice.Level.INFO,
        "Info — news or a heads-up (new feature, planned change). Members can dismiss it.",
    ),
    (
        Notice.Level.WARNING,
        "Warning — something works badly or is about to be interrupted. It stays until it "
        "ends; needs a discussion thread.",
    ),
    (
        Notice.Level.OUTAGE,
        "Outage — something is broken right now. Shown first, in red, until it ends; needs "
        "a discussion thread.",
    ),
]

AUDIENCE_CHOICES = [
    (Notice.Audience.EVERYONE, _("Everyone, visitors included")),
    (Notice.Audience.MEMBERS, _("Signed-in members only")),
    (Notice.Audience.STAFF, _("Staff and moderators only (never on the public status page)")),
    (Notice.Audience.BOARD, _("The pages of one board: the board and its threads")),
]


class NoticeForm(forms.Form):
    """Create or change a sitewide notice. The service checks the rules (length, thread
    needed, end after start); this form reads the thread reference and the local times,
    and asks for what creating a thread in the same step needs."""

    message = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _(
                "Markdown works (**bold**, links). Up to {max} characters: one or two "
                "sentences — the details go in the discussion thread."
            ),
            max=grouped_number(Notice.MESSAGE_MAX),
        ),
        error_messages={
            "required": _("Write the notice: one or two sentences people will see on every page.")
        },
    )
    level = forms.ChoiceField(
        label=_("Level"),
        widget=forms.RadioSelect,
        choices=LEVEL_CHOICES,
        initial=Notice.Level.INFO,
        error_messages={"required": _("Choose a level: info, warning or outage.")},
    )
    thread = forms.CharField(
        label=_("Existing discussion thread"),
        required=False,
        help_text=_(
            "Its number (e.g. 12) or its link (e.g. /t/12/ or the full address). "
            "Required for warnings and outages — or create one below."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    create_thread = forms.BooleanField(label=_("Create a discussion thread now"), required=False)
    new_thread_title = forms.CharField(
        label=_("Title of the new thread"),
        required=False,
        strip=True,
        help_text=format_lazy(
            _(
                "{min}–{max} characters. Its opening post is the notice's message, posted "
                "under your name."
            ),
            min=TITLE_MIN,
            max=TITLE_MAX,
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_thread_board = forms.ModelChoiceField(
        label=_("Board for the new thread"),
        required=False,
        queryset=boards_open_for_threads(),
        empty_label=_("Choose a board…"),
        error_messages={
            "invalid_choice": _("That board is not open for new threads; choose another.")
        },
    )
    starts_at = LocalDateTimeField(label=_("Starts"), required=False)
    ends_at = LocalDateTimeField(label=_("Ends"), required=False)
    audience = forms.ChoiceField(
        label=_("Who sees it"),
        widget=forms.RadioSelect,
        choices=AUDIENCE_CHOICES,
        initial=Notice.Audience.EVERYONE,
        error_messages={"required": _("Choose who sees the notice.")},
    )
    board = forms.ModelChoiceField(
        label=_("Board"),
        required=False,
        queryset=boards_in_order(),
        empty_label=_("Choose a board…"),
        help_text=_("Only for “The pages of one board”."),
        error_messages={"invalid_choice": _("That board no longer exists; choose another.")},
    )

    def __init__(self, *args, user, hosts: frozenset[str] = frozenset(), notice=None, **kwargs):
        """``user`` is the admin (times are read in their zone); ``hosts`` the addresses
        a pasted thread link may point at; ``notice`` the notice being changed, if any."""
        if notice is not None:
            kwargs.setdefault("initial", self.initial_for(notice))
        super().__init__(*args, **kwargs)
        self.hosts = hosts
        self.notice = notice
        zone = member_zone(user)
        self.zone = zone
        for name in ("starts_at", "ends_at"):
            self.fields[name].zone = zone
        self.fields["starts_at"].help_text = (
            gettext("In your time zone (%(zone)s). Leave empty to keep the current start.")
            if notice is not None
            else gettext(
                "In your time zone (%(zone)s). Leave empty to start now; a later time "
                "schedules the notice."
            )
        ) % {"zone": zone.key}
        self.fields["ends_at"].help_text = gettext(
            "Optional, in your time zone (%(zone)s). The notice disappears by itself then; "
            "leave empty to keep it until you end it."
        ) % {"zone": zone.key}

    @staticmethod
    def initial_for(notice) -> dict:
        return {
            "message": notice.message,
            "level": notice.level,
            "thread": str(notice.thread_id or ""),
            "starts_at": notice.starts_at,
            "ends_at": notice.ends_at,
            "audience": notice.audience,
            "board": notice.board_id,
        }

    def clean_thread(self):
        text = self.cleaned_data["thread"].strip()
        if not text:
            return None
        thread_id = parse_thread_reference(text, hosts=self.hosts)
        thread = notice_thread_find(thread_id=thread_id)
        if thread is None:
            raise ValidationError(
                gettext(
                    "There is no thread %(thread_id)s here. Check the number or the "
                    "link, or tick “Create a discussion thread now”."
                )
                % {"thread_id": thread_id},
                code="unknown_thread",
            )
        return thread

    def clean(self):
        cleaned = super().clean()
        self._check_notice_rules(cleaned)
        if not cleaned.get("create_thread"):
            cleaned["new_thread_title"] = ""
            cleaned["new_thread_board"] = None
            return cleaned
        if cleaned.get("thread") is not None:
            self.add_error(
                "thread",
                "You also ticked “Create a discussion thread now”: keep one — empty this field "
                "to create the thread, or untick the box to link this one.",
            )
        title = cleaned.get("new_thread_title", "")
        try:
            if not title and "new_thread_title" not in self.errors:
                raise ValidationError({"title": gettext("Give the new thread a title.")})
            cleaned["new_thread_title"] = validate_title(title)
        except ValidationError as exc:
            for error in exc.message_dict.get("title", exc.messages):
                self.add_error("new_thread_title", error)
        if cleaned.get("new_thread_board") is None and "new_thread_board" not in self.errors:
            self.add_error("new_thread_board", _("Choose the board where the thread is started."))
        return cleaned

    def _check_notice_rules(self, cleaned) -> None:
        """The service's rules, so every problem shows at once rather than one round at a
        time. A field that could not be read already has its own error and is skipped, as
        are the rules that depend on it."""
        starts_at = cleaned.get("starts_at") or (self.notice.starts_at if self.notice else None)
        try:
            validate_notice(
                message=cleaned.get("message", ""),
                level=cleaned.get("level", ""),
                thread=cleaned.get("thread"),
                audience=cleaned.get("audience", ""),
                board=cleaned.get("board"),
                starts_at=starts_at,
                ends_at=cleaned.get("ends_at"),
                creates_thread=bool(cleaned.get("create_thread")),
            )
        except ValidationError as exc:
            unreadable = set(self.errors)
            if unreadable & {"starts_at", "ends_at"}:
                unreadable.add("ends_at")
            for field, errors in exc.message_dict.items():
                if field in self.fields and field not in unreadable:
                    for error in errors:
                        self.add_error(field, error)
