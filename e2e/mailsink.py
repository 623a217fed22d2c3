"""The run's SMTP relay: aiosmtpd keeps every message as a numbered .eml file, and the journeys read them.

It stands where the recipe's SMTP relay stands (EMAIL_URL=smtp://127.0.0.1:<port>); the task worker delivers to
it exactly as it would to the city's relay.
"""

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

# ASCII URL characters only: in Japanese text a link is often followed directly by a word.
LINK_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


class _Keep:
    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()
        self._count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self._lock:
            self._count += 1
            number = self._count
        final = self.directory / f"{number:05d}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(final)  # a reader never sees half a message
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, directory: Path, port: int):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.controller = Controller(_Keep(directory), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class Mail:
    number: int
    to: str
    subject: str
    body: str

    @property
    def links(self) -> list[str]:
        return [link.rstrip(".,;:)]'") for link in LINK_RE.findall(self.body)]


class Mailbox:
    def __init__(self, directory: Path):
        self.directory = directory

    def all(self) -> list[Mail]:
        mails = []
        for path in sorted(self.directory.glob("*.eml")):
            message: EmailMessage = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            part = message.get_body(preferencelist=("plain",))
            mails.append(
                Mail(
                    number=int(path.stem),
                    to=str(message["To"] or ""),
                    subject=str(message["Subject"] or ""),
                    body=part.get_content() if part else "",
                )
            )
        return mails

    def count(self) -> int:
        return len(list(self.directory.glob("*.eml")))

    def wait_for(self, *, to: str, subject: str = "", body: str = "", after: int = 0, timeout: float = 30) -> Mail:
        """The first mail numbered above `after` to `to` whose subject and body contain the given texts."""
        deadline = time.monotonic() + timeout
        while True:
            for mail in self.all():
                if mail.number > after and to in mail.to and subject in mail.subject and body in mail.body:
                    return mail
            if time.monotonic() > deadline:
                seen = "\n".join(f"  #{m.number} to {m.to}: {m.subject}" for m in self.all() if m.number > after)
                raise AssertionError(
                    f"no mail to {to} with subject containing {subject!r} within {timeout:.0f} s; "
                    f"mails since #{after}:\n{seen or '  (none)'}"
                )
            time.sleep(0.2)

    def since(self, after: int) -> list[Mail]:
        return [mail for mail in self.all() if mail.number > after]
