from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import MODERATING_ROLES, Role

DISPLAY_NAME_MAX = 50
JOB_TITLE_MAX = 80
BIO_MAX = 1000


class User(AbstractUser):
    """A person with an account.

    ``role`` is granted by admins. A company employee is someone with a staff job
    title: role ``staff``, or a moderator/admin who also works for the company. A
    volunteer moderator has no job title and so no Staff badge.
    """

    display_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(
        max_length=JOB_TITLE_MAX,
        blank=True,
        help_text=_(
            "Shown in the Staff badge. Required for staff; optional for moderators and "
            "admins who work for the company (it gives them the Staff badge too)."
        ),
    )
    bio = models.TextField(max_length=BIO_MAX, blank=True)
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text=_("Used for every date and time we show you.")
    )
    # Kept by forum.services when posts are written, so profiles never count rows.
    post_count = models.PositiveIntegerField(default=0)

    class EmailFrequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("Daily digest")
        NEVER = "never", _("Never")

    # How notifications reach this member by email (in-app ones always appear).
    email_frequency = models.CharField(
        max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATELY
    )

    class Theme(models.TextChoices):
        AUTO = "auto", _("Same as my device")
        LIGHT = "light", _("Light")
        DARK = "dark", _("Dark")

    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.AUTO)
    # A language code from settings.LANGUAGES; blank follows the browser.
    language = models.CharField(max_length=16, blank=True)

    # Self-serve deletion (accounts.deletion): requested, then completed once the grace
    # period has passed without the member signing in. A completed deletion keeps the row
    # (posts and moderation records point at it) with every personal field emptied.
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    deletion_erase_posts = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["role"], name="user_role_idx"),
            # @mentions look members up by their lower-cased username.
            models.Index(Lower("username"), name="user_username_lower_idx"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        # The one place a member's name is worked out, so a deleted account reads the same
        # everywhere a name appears (posts, thread lists, feeds, search, moderation pages).
        if self.deleted_at is not None:
            return gettext("deleted member")
        return self.display_name or self.username

    @property
    def is_deleted_member(self) -> bool:
        return self.deleted_at is not None

    @property
    def avatar_hue(self) -> int:
        """A stable colour for the generated avatar."""
        return ((self.pk or 0) * 47) % 360

    @property
    def is_employee(self) -> bool:
        return self.role == Role.STAFF or (self.role in MODERATING_ROLES and bool(self.job_title))

    @property
    def is_moderator(self) -> bool:
        return self.role in MODERATING_ROLES

    @property
    def is_site_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def badges(self) -> list[dict[str, str]]:
        """Badges in display order, computed from the role alone."""
        badges = []
        if self.is_employee:
            badges.append({"kind": "staff", "label": gettext("Staff"), "title": self.job_title})
        if self.role == Role.ADMIN:
            badges.append(
                {"kind": "admin", "label": gettext("Admin"), "title": gettext("Site administrator")}
            )
        elif self.role == Role.MODERATOR:
            badges.append(
                {"kind": "moderator", "label": gettext("Moderator"), "title": gettext("Moderator")}
            )
        return badges

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})


class OutboundEmail(models.Model):
    """One email on its way out: the whole message, serialised, and how delivery is going.

    Every email the site sends is stored here first (``accounts.mail.email_enqueue``) and
    delivered by the task worker, so a mail server outage delays mail and loses none.
    A row is ``queued`` until delivered (``sent``) or given up on after the last retry
    (``dead``: shown to admins, who can send it again)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Dead (gave up)")

    # What the mail is, for admins reading the list: "notification", "digest",
    # "moderation", "contact", or allauth's template name ("account/email/…").
    kind = models.CharField(max_length=100, blank=True)
    from_email = models.TextField()
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # "plain", or "html" when the body itself is HTML (an allauth mail with no text part).
    content_subtype = models.CharField(max_length=20, default="plain")
    # [[content, mimetype], …] — the HTML version of a text mail.
    alternatives = models.JSONField(default=list, blank=True)
    # Message-ID and Date are fixed when the mail is queued, so a retry is the same message.
    headers = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbound email"
        indexes = [
            # The sweeper looks for queued mail that is overdue; admins list dead mail.
            models.Index(fields=["status", "next_attempt_at"], name="outbound_email_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class EmailDomainRule(models.Model):
    """An admin's word on one email domain, for sign-up and email change
    (``accounts.email_domains``): refuse its addresses as throwaway, or accept them even
    though the shipped list of disposable-mail domains names them. A rule covers the
    domain's subdomains too; the most specific rule wins."""

    class Verdict(models.TextChoices):
        REFUSE = "refuse", _("Refuse: throwaway addresses")
        ALLOW = "allow", _("Allow: exempt from the throwaway list")

    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text=_(
            "For example mailinator.com (covers its subdomains too). Lower case, without @."
        ),
    )
    verdict = models.CharField(max_length=8, choices=Verdict.choices, default=Verdict.REFUSE)
    note = models.CharField(
        max_length=200, blank=True, help_text=_("Why, for the next admin (not shown to members).")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "email domain rule"
        ordering = ["domain"]

    def __str__(self) -> str:
        return f"{self.domain} ({self.get_verdict_display()})"


class DataExport(models.Model):
    """One member's request for a copy of their data: built by the task worker
    (``accounts.exports``) into a ZIP kept in the default storage under a private prefix,
    downloadable by its owner through a signed link until ``expires_at``."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The storage name of the ZIP; emptied when the file is removed after expiry.
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "data export"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["user", "-requested_at"], name="data_export_user_idx")]

    def __str__(self) -> str:
        return f"Export {self.pk} for {self.user_id} ({self.status})"


class AccessToken(models.Model):
    """A personal access token for the JSON API (``accounts.access_tokens``).

    Only a SHA-256 digest of the token is stored: the token is a long random string, so
    a fast digest is as safe as a password hash here and lets every API request find its
    token with one indexed lookup. The token itself is shown once, when it is created.
    The scope is an upper bound: each action still asks the same permission check as the
    site, as the token's owner."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")
        MODERATE = "moderate", _("Read, write and moderate")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    # The token's first characters, shown in the list so a member can tell tokens apart.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "access token"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="access_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
