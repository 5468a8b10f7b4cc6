"""The /help page with its private contact form, and the staff contact inbox.

The form is a CheckedFormView: the one check (``check_send_contact_message``; the inbox
asks ``check_view_staff_pages``), the service, a redirect. Bad input and a rate-limit
refusal re-render the form with everything the person typed kept."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from config.views import CheckedFormView
from forum import ratelimit
from forum.forms import ContactForm
from forum.models import ContactMessage
from forum.permissions import check_send_contact_message, check_view_staff_pages
from forum.selectors import contact as selectors_contact
from forum.services import contact as contact_services

# Short names for the inbox's topic filter; the form shows the model's longer labels.
INBOX_TOPIC_LABELS = {
    ContactMessage.Topic.ACCOUNT: "Account",
    ContactMessage.Topic.BILLING: "Billing",
    ContactMessage.Topic.BUG: "Bug",
    ContactMessage.Topic.OTHER: "Other",
}


def _client_key(request) -> str:
    return ratelimit.contact_client_key(
        user=request.user, remote_addr=request.META.get("REMOTE_ADDR")
    )


class HelpPageView(CheckedFormView):
    """Where to ask what, and the contact form for what can't be said in public. Anyone
    may write, visitors too; CSRF is checked for everyone (the form carries a token, so
    this page sets the CSRF cookie even for visitors). A spent budget re-renders the form
    with the reason (429), everything typed kept."""

    template_name = "forum/help.html"
    form_class = ContactForm
    login_required = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.client_key = _client_key(request)

    def check(self, user) -> None:
        # Reading the page is everyone's; only sending a message spends the budget.
        if self.request.method == "POST":
            check_send_contact_message(user, client_key=self.client_key)

    def write_context(self):
        return ratelimit.spending()

    def refusal_status(self, exc) -> int:
        return 429

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def before_validation(self, form):
        if not form.is_bot:
            return None
        # The honeypot was filled in: a bot. Pretend it worked (so it learns nothing) but
        # save and send nothing; it still spends the client's budget.
        ratelimit.record_contact(self.client_key)
        return self.done(form.reply_to or (self.request.POST.get("email") or "").strip())

    def act(self, form):
        data = form.cleaned_data
        user = self.request.user
        message = contact_services.contact_message_create(
            topic=data["topic"],
            email=data.get("email", ""),
            name=data.get("name", ""),
            subject=data["subject"],
            body=data["body"],
            user=user if user.is_authenticated else None,
            client_key=self.client_key,
        )
        return message.email

    def done(self, email):
        messages.success(
            self.request,
            gettext("Thanks — we've got your message and will reply by email to %(email)s.")
            % {"email": email},
        )
        return redirect(reverse("forum:help") + "?sent=1")


# --- Staff inbox -------------------------------------------------------------------------


def _staff_refusal(request):
    """Visitors go to sign in (and come back); members get the check's reason (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_staff_pages(request.user)
    return None


def contact_inbox(request):
    """Unhandled messages first, newest first; then handled ones. ``?topic=`` filters."""
    refusal = _staff_refusal(request)
    if refusal:
        return refusal
    topic = request.GET.get("topic", "")
    if topic not in ContactMessage.Topic.values:
        topic = ""
    page = selectors_contact.contact_inbox_page(topic=topic, page_number=request.GET.get("page"))
    contact_messages = list(page.object_list)
    for message in contact_messages:
        message.topic_short = INBOX_TOPIC_LABELS.get(message.topic, message.topic)
    counts = selectors_contact.contact_open_counts()
    topics = [
        {"value": value, "label": INBOX_TOPIC_LABELS.get(value, value), "open": counts[value]}
        for value in ContactMessage.Topic.values
    ]
    return render(
        request,
        "forum/contact_inbox.html",
        {
            "page": page,
            "contact_messages": contact_messages,
            "topic": topic,
            "topic_label": INBOX_TOPIC_LABELS.get(topic, ""),
            "topics": topics,
            "open_total": counts["all"],
        },
    )


def _mailto(message: ContactMessage) -> str:
    subject = message.subject
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    return f"mailto:{quote(message.email, safe='@+')}?subject={quote(subject)}"


def contact_message_detail(request, message_id: int):
    """One message, in plain text, with a reply link and Mark handled / Reopen (POST)."""
    refusal = _staff_refusal(request)
    if refusal:
        return refusal
    message = selectors_contact.contact_message_get(message_id=message_id)
    if request.method == "POST":
        handled = request.POST.get("handled") == "1"
        changed = contact_services.contact_message_mark_handled(
            message=message, actor=request.user, handled=handled
        )
        if handled:
            messages.success(
                request,
                gettext("“%(subject)s” is marked handled.") % {"subject": message.subject}
                if changed
                else gettext("“%(subject)s” was already marked handled.")
                % {"subject": message.subject},
            )
            return redirect("forum:contact-inbox")
        messages.success(
            request,
            gettext("Reopened: it is back among the unhandled messages.")
            if changed
            else gettext("This message was already open."),
        )
        return redirect("forum:contact-message", message_id=message.pk)
    return render(
        request,
        "forum/contact_message.html",
        {"message": message, "mailto": _mailto(message)},
    )
