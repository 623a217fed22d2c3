"""Mail that is never lost: the row is written in the caller's transaction, the send happens after commit
through Django's tasks framework, and a failure is recorded and retried by `manage.py mail_retry`."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from kiyose.models import OutboundMail

log = logging.getLogger(__name__)


def mail_queue(*, to: str | list[str], subject: str, body: str, reply_to: list[str] | None = None) -> OutboundMail:
    recipients = [to] if isinstance(to, str) else list(to)
    mail = OutboundMail.objects.create(to=recipients, subject=subject, body=body, reply_to=reply_to or [])
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
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=mail.to,
            reply_to=mail.reply_to or None,
        )
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:
            log.warning("mail %s failed (attempt %s): %s", mail.pk, mail.attempts, exc)
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            mail.save(update_fields=["attempts", "last_error"])
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


def mail_forget(*, address: str) -> int:
    """Delete every queued or sent mail addressed to `address` (erasure on request)."""
    doomed = [m.pk for m in OutboundMail.objects.all().only("pk", "to") if address in (m.to or [])]
    deleted, _ = OutboundMail.objects.filter(pk__in=doomed).delete()
    return deleted
