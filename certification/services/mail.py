"""The scheme's mail: every message is a template in certification/templates/certification/mail/ (subject and
body partials), queued in the caller's transaction and sent after commit by the task worker."""

from django.conf import settings
from django.urls import reverse

from kiyose.enquiries import office_address
from kiyose.mail import mail_queue
from kiyose.models import Office
from kiyose.portal import OFFICE_OF_APP

OFFICE_KEY = OFFICE_OF_APP["certification"]


def office() -> Office | None:
    return Office.objects.filter(key=OFFICE_KEY).first()


def office_notice_address() -> str:
    """Where 未来創造課's notices go: CERTIFICATION_OFFICE_EMAIL when the deployment sets one (an internal
    mailbox), else the e-mail staff entered in the office's contact block, else nowhere (staff see the admin)."""
    return settings.CERTIFICATION_OFFICE_EMAIL or office_address(OFFICE_KEY)


def _send(to: str, name: str, about, context: dict, attachments=()) -> None:
    contact = office()
    mail_queue(
        to=to,
        template=f"certification/mail/{name}.txt",
        context={"office": contact, **context},
        about=about,
        reply_to=[contact.email] if contact and contact.email else None,
        attachments=attachments,
    )


def mail_applicant(application, name: str, **context) -> None:
    _send(application.contact_email, name, application, {"obj": application, **context})


def mail_holder(certificate, name: str, *, about=None, attachments=(), **context) -> None:
    _send(
        certificate.contact_email,
        name,
        about or certificate,
        {"certificate": certificate, **context},
        attachments=attachments,
    )


def notify_office(obj, name: str, **context) -> None:
    address = office_notice_address()
    if address:
        path = reverse(f"admin:certification_{obj._meta.model_name}_change", args=[obj.pk])
        mail_queue(
            to=address,
            template=f"certification/mail/{name}.txt",
            context={"obj": obj, "admin_url": settings.PORTAL_BASE_URL.rstrip("/") + path, **context},
            about=obj,
        )
