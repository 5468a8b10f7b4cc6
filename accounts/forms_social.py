from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django.forms.utils import ErrorDict, ErrorList

from accounts.adapter_social import public_name_problem


class SocialSignupForm(AllauthSocialSignupForm):
    """The last step of a first sign-in through the identity provider, shown when the name
    it sent can't be used (SocialAccountAdapter.is_auto_signup_allowed). The name is
    shown with the reason beside it from the start, not only after the member presses the
    button, so they know what to change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or "username" not in self.fields:
            return
        name = self.initial.get("username") or ""
        problem = public_name_problem(name)
        if problem:
            # An unbound form has no errors of its own; these are what the name from the
            # provider would get if it were sent as it is.
            self._errors = ErrorDict(username=ErrorList([problem]))
