from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

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
        help_text="Shown in the Staff badge. Required for staff; optional for moderators and "
        "admins who work for the company (it gives them the Staff badge too).",
    )
    bio = models.TextField(max_length=BIO_MAX, blank=True)
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="Used for every date and time we show you."
    )
    # Kept by forum.services when posts are written, so profiles never count rows.
    post_count = models.PositiveIntegerField(default=0)

    class EmailFrequency(models.TextChoices):
        IMMEDIATELY = "immediately", "Immediately"
        DAILY = "daily", "Daily digest"
        NEVER = "never", "Never"

    # How notifications reach this member by email (in-app ones always appear).
    email_frequency = models.CharField(
        max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATELY
    )

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
        return self.display_name or self.username

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
            badges.append({"kind": "staff", "label": "Staff", "title": self.job_title})
        if self.role == Role.ADMIN:
            badges.append({"kind": "admin", "label": "Admin", "title": "Site administrator"})
        elif self.role == Role.MODERATOR:
            badges.append({"kind": "moderator", "label": "Moderator", "title": "Moderator"})
        return badges

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})
