"""Forms collect input and show errors next to their fields, one module per subject; the
rules live in the services so every path applies them. The public names are re-exported
here."""

from forum.forms.attachments import AttachmentForm
from forum.forms.contact import ContactForm
from forum.forms.notices import (
    AUDIENCE_CHOICES,
    DATETIME_LOCAL,
    LEVEL_CHOICES,
    LocalDateTimeField,
    NoticeForm,
    parse_thread_reference,
)
from forum.forms.notifications import EmailFrequencyForm
from forum.forms.posts import PostEditForm, PostForm, SubmissionKeyMixin, ThreadForm
from forum.forms.saved_replies import SavedReplyForm
from forum.forms.search import KeywordWatchForm, SearchForm
from forum.forms.statuses import ThreadStatusForm

__all__ = [
    "AttachmentForm",
    "AUDIENCE_CHOICES",
    "ContactForm",
    "DATETIME_LOCAL",
    "EmailFrequencyForm",
    "KeywordWatchForm",
    "LEVEL_CHOICES",
    "LocalDateTimeField",
    "NoticeForm",
    "PostEditForm",
    "PostForm",
    "SavedReplyForm",
    "SearchForm",
    "SubmissionKeyMixin",
    "ThreadForm",
    "ThreadStatusForm",
    "parse_thread_reference",
]
