from django import template

from accounts.forms import SignupForm

register = template.Library()


@register.simple_tag(takes_context=True)
def signup_form_again(context):
    """The sign-up form filled with what was just sent, except the passwords and the
    honeypot: for the page that refuses a sign-up past the limit, so nothing typed is lost.
    Unbound, so it shows no errors of its own."""
    data = context["request"].POST
    return SignupForm(initial={name: data.get(name, "") for name in ("email", "username")})
