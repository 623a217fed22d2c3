"""Helpers the service modules share."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _office_lines() -> str:
    email = settings.CERTIFICATION_OFFICE_EMAIL
    return _("清瀬市 経営政策部 未来創造課\nメール：{email}").format(email=email)
