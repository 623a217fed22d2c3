"""Mail that is never lost: the row is written in the caller's transaction, the send happens after commit
through Django's tasks framework (the database backend and `manage.py db_worker` in production, so no SMTP
server ever holds a visitor's request), and a failure is recorded and retried by `manage.py mail_retry` until
MAIL_MAX_ATTEMPTS, after which the mail is marked as given up, logged as an error and shown in the admin.

Every mail is a template, `<app>/mail/<name>.txt`, with two partials (Django's template partials):

    {% partialdef subject %}【清瀬市議会】行政視察のお申込みを受け付けました（{{ obj.reference }}）{% endpartialdef %}
    {% partialdef body %}{{ obj.contact_name }} 様 …{% endpartialdef %}

Subjects are made single-line whatever the data (a line break in a header makes Django refuse the whole
message, so one council name with a line break would otherwise silence every notice about it).
"""

import logging
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from kiyose.models import OutboundAttachment, OutboundMail

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe_subject(text: str) -> str:
    """One line, no control characters, within the column: always a valid header."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())[:255]


def mail_render(template: str, context: dict | None = None) -> tuple[str, str]:
    """(subject, body) from the `subject` and `body` partials of `template` (e.g. "inspections/mail/ack.txt")."""
    subject = render_to_string(f"{template}#subject", context or {})
    body = render_to_string(f"{template}#body", context or {})
    return safe_subject(subject), body.strip("\n").rstrip() + "\n"


def mail_queue(
    *,
    to: str | list[str],
    template: str = "",
    context: dict | None = None,
    subject: str = "",
    body: str = "",
    reply_to: list[str] | None = None,
    about=None,
    attachments: list[tuple[str, bytes, str]] = (),
) -> OutboundMail:
    """Queue a mail, rendered from `template` with `context` (apps always use a template; subject/body are
    for the kit's own messages). `about` links it to the record it concerns, so staff see it there;
    `attachments` are (filename, content, mimetype)."""
    if template:
        subject, body = mail_render(template, context)
    recipients = [to] if isinstance(to, str) else list(to)
    mail = OutboundMail(to=recipients, subject=safe_subject(subject), body=body, reply_to=reply_to or [])
    if about is not None:
        mail.about_type = ContentType.objects.get_for_model(about)
        mail.about_id = str(about.pk)
    mail.save()
    for filename, content, mimetype in attachments:
        OutboundAttachment.objects.create(mail=mail, filename=filename, content=content, mimetype=mimetype)
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int) -> None:
    try:
        mail_deliver_task.enqueue(mail_id)
    except Exception:
        # The row stays unsent; mail_retry delivers it later. A broken queue must not fail the request.
        log.exception("could not enqueue mail %s", mail_id)


@task()
def mail_deliver_task(mail_id: int) -> bool:
    return mail_deliver(mail_id=mail_id)


def mail_deliver(*, mail_id: int) -> bool:
    """Send one queued mail; True when it is (or already was) sent."""
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.sent_at is not None:
            return mail is not None
        message = EmailMessage(
            subject=safe_subject(mail.subject),
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=mail.to,
            reply_to=mail.reply_to or None,
        )
        for attachment in mail.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            fields = ["attempts", "last_error"]
            if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                mail.gave_up_at = timezone.now()
                fields.append("gave_up_at")
                # ERROR reaches ADMINS (or the error tracker) through LOGGING: a lost notice must be seen.
                log.error("mail %s given up after %s attempts: %s", mail.pk, mail.attempts, mail.last_error)
            else:
                log.warning("mail %s failed (attempt %s): %s", mail.pk, mail.attempts, mail.last_error)
            mail.save(update_fields=fields)
            return False
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "last_error", "sent_at"])
        return True


def mail_retry_due(*, limit: int = 200) -> tuple[int, int]:
    """Retry unsent mails; returns (sent, still failing)."""
    ids = list(OutboundMail.objects.due(settings.MAIL_MAX_ATTEMPTS).values_list("pk", flat=True)[:limit])
    sent = sum(1 for pk in ids if mail_deliver(mail_id=pk))
    return sent, len(ids) - sent


def mail_forget(*, values: list[str]) -> int:
    """Delete every queued or sent mail whose recipients, subject or body contain one of `values`
    (erasure on request: the person's address, name, phone…)."""
    needles = [v for v in values if v and len(v) >= 2]
    if not needles:
        return 0
    doomed = [
        m.pk
        for m in OutboundMail.objects.only("pk", "to", "subject", "body", "reply_to").iterator()
        if any(
            n in " ".join(m.to or []) or n in " ".join(m.reply_to or []) or n in m.subject or n in m.body
            for n in needles
        )
    ]
    deleted, _ = OutboundMail.objects.filter(pk__in=doomed).delete()
    return deleted
