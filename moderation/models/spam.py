"""What the spam filter learns and what admins tune."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SpamTokenCount(models.Model):
    """How many moderator-decided posts contained a token, as spam and as ham: what the
    spam filter learned on this site, added to the starter model's counts. The row whose
    token is ``SpamTokenCount.MESSAGES`` counts the decided posts themselves (a token the
    tokeniser never produces). Counts only grow, by single UPDATE statements, so
    concurrent decisions never lose one another's counts."""

    MESSAGES = "#messages"

    token = models.CharField(max_length=100, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.token}: {self.spam} spam, {self.ham} ham"


class BlockedDomain(models.Model):
    """A domain admins know is spam: a post linking to it, or to any of its subdomains,
    scores as spam whatever else it says."""

    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text=_("For example cheap-pills.biz (subdomains are included). No http:// or path."),
    )
    note = models.CharField(max_length=200, blank=True, help_text=_("Why it is blocked."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class SpamPolicy(models.Model):
    """What admins chose for accounts the forum does not trust yet: one row (pk 1),
    edited in Django admin. An account is trusted once it is ``trusted_after_days`` old
    OR has ``trusted_after_posts`` published posts, whichever comes first; until then
    the new-account policy and the link limit apply to its posts. Staff, moderators and
    admins are never held, whatever is set here."""

    class NewAccounts(models.TextChoices):
        NONE = "none", _("No extra checks (the spam filter still holds spam)")
        LINKS = "links", _("Hold their posts that contain links")
        FIRST_POSTS = "first_posts", _("Hold their first posts for approval")

    SINGLETON_PK = 1

    new_accounts = models.CharField(
        _("posts by new accounts"),
        max_length=16,
        choices=NewAccounts.choices,
        default=NewAccounts.LINKS,
    )
    first_posts = models.PositiveSmallIntegerField(
        _("how many first posts to hold"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Used when new accounts' first posts are held."),
    )
    trusted_after_days = models.PositiveSmallIntegerField(
        _("trusted after (days)"),
        default=3,
        validators=[MaxValueValidator(3650)],
        help_text=_("An account this many days old is trusted (0: age alone never trusts)."),
    )
    trusted_after_posts = models.PositiveSmallIntegerField(
        _("trusted after (published posts)"),
        default=3,
        validators=[MaxValueValidator(1000)],
        help_text=_(
            "An account with this many published posts is trusted (0: posts alone "
            "never trust). Either this or the age is enough."
        ),
    )
    link_limit = models.PositiveSmallIntegerField(
        _("link limit for new accounts"),
        null=True,
        blank=True,
        default=2,
        validators=[MaxValueValidator(1000)],
        help_text=_("A new account's post with more links than this is held. Empty: no limit."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("spam policy")
        verbose_name_plural = _("spam policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="spampolicy_singleton"),
        ]

    def __str__(self) -> str:
        return "Spam policy for new accounts"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def is_trusted(self, *, age_days: int, posts: int) -> bool:
        by_age = self.trusted_after_days > 0 and age_days >= self.trusted_after_days
        by_posts = self.trusted_after_posts > 0 and posts >= self.trusted_after_posts
        return by_age or by_posts


class WatchedWord(models.Model):
    """A word or phrase admins watch for in members' posts. Phrases are literal text,
    never patterns: matching ignores case and accents, and ``whole_word`` stops "ass"
    matching "class"."""

    class Action(models.TextChoices):
        BLOCK = "block", _("Block: refuse the post, saying which phrase to change")
        HOLD = "hold", _("Hold the post for a moderator")
        FLAG = "flag", _("Publish, and flag it for a moderator to look at")

    MAX_LENGTH = 100

    phrase = models.CharField(max_length=MAX_LENGTH, unique=True)
    whole_word = models.BooleanField(
        default=True,
        help_text=_(
            "Match whole words only (“loan” does not match “loaned”). Untick to match "
            "inside words too."
        ),
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.HOLD)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase
