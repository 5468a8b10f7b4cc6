"""The forum's models, one module per subject; every model is importable from here."""

from forum.models.attachments import Attachment
from forum.models.boards import Board
from forum.models.cache import OutageCacheEntry
from forum.models.contact import ContactMessage
from forum.models.following import KeywordWatch, ReadMarker, ThreadVote, Watch
from forum.models.notices import Notice, NoticeDismissal
from forum.models.notifications import Notification
from forum.models.posts import BODY_MAX, BODY_MIN, Post, PostRevision
from forum.models.staff import SavedReply, StaffNote, ThreadMerge, ThreadMove
from forum.models.temperature import BoardHour, HeatAlert, HotThread
from forum.models.threads import TITLE_MAX, TITLE_MIN, Thread, ThreadEvent
from forum.models.webhooks import Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "BODY_MAX",
    "BODY_MIN",
    "TITLE_MAX",
    "TITLE_MIN",
    "Attachment",
    "Board",
    "BoardHour",
    "ContactMessage",
    "HeatAlert",
    "HotThread",
    "KeywordWatch",
    "Notice",
    "NoticeDismissal",
    "Notification",
    "OutageCacheEntry",
    "Post",
    "PostRevision",
    "ReadMarker",
    "SavedReply",
    "StaffNote",
    "Thread",
    "ThreadEvent",
    "ThreadMerge",
    "ThreadMove",
    "ThreadVote",
    "Watch",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
