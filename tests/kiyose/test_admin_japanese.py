"""The admin speaks Japanese everywhere staff look, including the words Django 6.1 and the third-party apps
leave in English."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"\b(Filter by|Select an option|Logout|Change history|History|access attempts?|access logs?|"
    r"Tasks Database Backend|Axes)\b"
)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_index_and_changelists_have_no_english_labels(client, make_staff):
    client.force_login(make_staff(superuser=True))
    pages = [
        reverse("admin:index"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:kiyose_outboundmail_changelist"),
        reverse("admin:auth_user_changelist"),
    ]
    for url in pages:
        text = _visible_text(client.get(url).content.decode())
        assert not ENGLISH.findall(text), (url, ENGLISH.findall(text))


def test_history_page_is_japanese(client, make_staff):
    import datetime as dt

    from inspections.models import CouncilSession

    client.force_login(make_staff(superuser=True))
    sitting = CouncilSession.objects.create(
        name="令和9年第1回定例会", opens_on=dt.date(2027, 2, 20), closes_on=dt.date(2027, 3, 20)
    )
    url = reverse("admin:inspections_councilsession_history", args=[sitting.pk])
    text = _visible_text(client.get(url).content.decode())
    assert "変更履歴" in text or "履歴" in text
    assert not ENGLISH.findall(text), ENGLISH.findall(text)


def test_the_blank_choice_reads_in_japanese():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    assert str(BLANK_CHOICE_LABEL) == "選択してください"
