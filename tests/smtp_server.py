"""A real SMTP server on 127.0.0.1 (aiosmtpd) that a test can take down and bring back.

"Down" means nothing listens on the port, so a connection is refused exactly as when a
mail server is unreachable; "up" means a real SMTP conversation that records every
message it accepts. The port stays the same across restarts, so the settings a test
points at it keep working. ``smtp_server`` stops whatever it started in its finaliser.
"""

import email
import email.policy
import logging
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message as the server received it: envelope and parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return self.header("Subject")

    def header(self, name: str) -> str:
        """A header's value unfolded, as a mail client reads it."""
        return " ".join(str(self.message[name] or "").split())

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    # A reply code to answer every DATA with instead of accepting it (e.g. "451 …", a
    # temporary refusal a real server gives when its queue is full).
    refuse_with: str = ""
    # Recipients refused at RCPT TO, with the reply to give (e.g. "550 5.1.1 No such user").
    refused_recipients: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused_recipients:
            return self.refused_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refuse_with:
            return self.refuse_with
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        self.host = HOST
        self.port = _free_port()
        self._handler = _Handler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        return list(self._handler.received)

    def to(self, address: str) -> list[Received]:
        """Messages whose envelope names ``address`` as a recipient."""
        return [m for m in self._handler.received if address in m.rcpt_tos]

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(self._handler, hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, reply: str = "451 4.3.0 Try again later") -> None:
        """Stay up but refuse every message with ``reply`` ("" accepts again)."""
        self._handler.refuse_with = reply

    def refuse_recipient(self, address: str, reply: str = "450 4.2.1 Mailbox busy") -> None:
        """Refuse mail for ``address`` with ``reply`` (temporary 4xx or permanent 5xx)."""
        self._handler.refused_recipients[address] = reply

    def accept_recipient(self, address: str) -> None:
        self._handler.refused_recipients.pop(address, None)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, NOT started: the test decides when mail is up.
    Django is pointed at it with the SMTP backend."""
    server = SmtpServer()
    # aiosmtpd logs every SMTP command at INFO; a failing test's log should show ours.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()
