"""Helpers the service modules share."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.mail import mail_queue


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _office_lines() -> str:
    email = settings.CERTIFICATION_OFFICE_EMAIL
    return _("清瀬市 経営政策部 未来創造課\nメール：{email}").format(email=email)


def _mail_holder(certificate, *, subject: str, body: str, reply_to=None, **values) -> None:
    """Queue a mail to a certificate holder; {org}, {number} and {office} are filled in for every message."""
    common = {"org": certificate.holder_name, "number": certificate.number, "office": _office_lines()}
    mail_queue(
        to=certificate.contact_email,
        subject=subject.format(**common, **values),
        body=body.format(**common, **values),
        reply_to=reply_to,
    )
