"""Threads, replies and edits. The length rules live in forum.services so every path
applies them. No maxlength attributes: a browser would cut a long paste silently, and we
would rather say so and keep the text."""

import uuid

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.i18n import grouped_number
from forum.forms.attachments import AttachmentFieldsMixin
from forum.forms.titles import TitleField
from forum.models import BODY_MAX, TITLE_MAX, TITLE_MIN


def _new_submission_key() -> str:
    return uuid.uuid4().hex


class SubmissionKeyMixin(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", _new_submission_key())


class ThreadForm(AttachmentFieldsMixin, SubmissionKeyMixin):
    title = TitleField(
        label=_("Title"),
        strip=True,
        help_text=format_lazy(
            _("{min}–{max} characters: what you need, in one line."), min=TITLE_MIN, max=TITLE_MAX
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=format_lazy(
            _("Markdown works: **bold**, `code`, lists, links. Up to {max} characters."),
            max=grouped_number(BODY_MAX),
        ),
    )
    field_order = ["title", "body", "image_alt", "image", "submission_key"]


class PostForm(AttachmentFieldsMixin, SubmissionKeyMixin):
    body = forms.CharField(
        label=_("Your reply"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=format_lazy(
            _("Markdown works. Up to {max} characters."), max=grouped_number(BODY_MAX)
        ),
    )
    field_order = ["body", "image_alt", "image", "submission_key"]


class PostEditForm(AttachmentFieldsMixin):
    title = TitleField(label=_("Title"), required=False, strip=True)
    body = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=format_lazy(
            _("Markdown works. Up to {max} characters. Earlier versions are kept."),
            max=grouped_number(BODY_MAX),
        ),
    )

    field_order = ["title", "body", "image_alt", "image"]

    def __init__(self, *args, edits_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not edits_title:
            del self.fields["title"]
        else:
            self.fields["title"].required = True
