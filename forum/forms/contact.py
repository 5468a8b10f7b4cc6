"""The /help contact form. It collects input and shows errors next to the fields; the
rules (lengths, the email address, the topic) live in forum.services.contact so every
path applies them. No maxlength attributes: a browser would cut a long paste silently."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.i18n import grouped_number
from forum.models import ContactMessage
from forum.services.contact import validate_contact_message


class ContactForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("Choose a topic…")), *ContactMessage.Topic.choices],
        error_messages={"required": _("Choose what your message is about.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        help_text=_("Optional. How we should address you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Your email address"),
        help_text=_("We reply by email. It is only shown to staff."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Write the email address we should reply to.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        help_text=format_lazy(_("{min}–{max} characters."), min=3, max=ContactMessage.SUBJECT_MAX),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Give your message a subject, so we can tell what it's about.")
        },
    )
    body = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _(
                "Plain text, up to {max} characters. Only staff read it. Never send a password "
                "or a full card number."
            ),
            max=grouped_number(ContactMessage.BODY_MAX),
        ),
        error_messages={"required": _("Write your message: what happened, and what you need.")},
    )
    # Honeypot: hidden from people (off-screen, skipped by keyboard and screen readers),
    # but bots that fill in every input fill it in. The view then pretends success.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Members are answered at their account address; they type neither name nor email.
        self.user = user if user is not None and user.is_authenticated else None
        self.reply_to = ""
        if user is not None and user.is_authenticated and user.email:
            self.reply_to = user.email
            del self.fields["name"]
            del self.fields["email"]

    def clean(self):
        """The service's rules, so every problem shows at once, each beside its field (a
        field that already has an error, e.g. "required", keeps just that one)."""
        data = super().clean()
        try:
            validate_contact_message(
                topic=data.get("topic", ""),
                email=data.get("email", ""),
                name=data.get("name", ""),
                subject=data.get("subject", ""),
                body=data.get("body", ""),
                user=self.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field in self.errors:
                    continue
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return data

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def visible(self):
        """The fields people see, in order (not the honeypot)."""
        return [self[name] for name in self.fields if name != "website"]
