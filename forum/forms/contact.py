"""The /help contact form. It collects input and shows errors next to the fields; the
rules (lengths, the email address, the topic) live in forum.services.contact so every
path applies them. No maxlength attributes: a browser would cut a long paste silently."""

from django import forms
from django.core.exceptions import ValidationError

from forum.models import ContactMessage
from forum.services.contact import validate_contact_message


class ContactForm(forms.Form):
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=[("", "Choose a topic…"), *ContactMessage.Topic.choices],
        error_messages={"required": "Choose what your message is about."},
    )
    name = forms.CharField(
        label="Your name",
        required=False,
        help_text="Optional. How we should address you.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label="Your email address",
        help_text="We reply by email. It is only shown to staff.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Write the email address we should reply to."},
    )
    subject = forms.CharField(
        label="Subject",
        help_text=f"3–{ContactMessage.SUBJECT_MAX} characters.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Give your message a subject, so we can tell what it's about."},
    )
    body = forms.CharField(
        label="Message",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            f"Plain text, up to {ContactMessage.BODY_MAX:,} characters. Only staff read it. "
            "Never send a password or a full card number."
        ),
        error_messages={"required": "Write your message: what happened, and what you need."},
    )
    # Honeypot: hidden from people (off-screen, skipped by keyboard and screen readers),
    # but bots that fill in every input fill it in. The view then pretends success.
    website = forms.CharField(
        label="Leave this field empty",
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
