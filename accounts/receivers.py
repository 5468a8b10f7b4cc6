"""Signal receivers of the accounts app, connected in ``AccountsConfig.ready``."""

from django.contrib import messages
from django.utils.translation import gettext as _

from accounts.deletion import account_deletion_cancel


def cancel_deletion_on_sign_in(sender, *, request, user, **kwargs) -> None:
    """Signing in during the grace period is the member changing their mind: the deletion
    stops, and the page they land on says so."""
    if user.deletion_requested_at is None or user.deleted_at is not None:
        return
    if account_deletion_cancel(user=user) and request is not None:
        # fail_silently: a sign-in outside a page (a test client, a script) has no
        # message storage, and the cancellation must stand all the same.
        messages.success(
            request,
            _(
                "Welcome back. You signed in, so your account will not be deleted: the "
                "deletion you asked for is cancelled."
            ),
            fail_silently=True,
        )
