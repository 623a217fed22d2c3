"""Rights and retention: a person's export, erasure (history and mails included), the retention run."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.mail import mail_forget, mail_queue
from kiyose.models import OutboundMail
from talentbank.models import DAYS, TIMES, WAYS, ErasureRecord, Match, Person, mask_display
from talentbank.services.people import _issue_token, _link

EXPORT_HEADER = [_("区分"), _("項目"), _("内容")]


def person_export_rows(*, person: Person) -> list[list[str]]:
    """Everything the bank holds on one person, for a disclosure request (開示請求)."""
    section = _("登録情報")
    rows = [[section, _("登録番号"), person.reference]]
    values = [
        (_("状態"), person.get_status_display()),
        (_("氏名"), person.name),
        (_("ふりがな"), person.furigana),
        (_("年代"), person.get_age_band_display()),
        (_("市との関わり"), person.relation_display()),
        (_("主な活動地域"), person.get_area_display()),
        (_("メールアドレス"), person.email),
        (_("電話番号"), person.phone),
        (_("関心のある分野"), "、".join(f.name for f in person.fields.all())),
        (_("得意なこと・特技"), person.skills),
        (_("資格・免許"), person.qualifications),
        (_("活動できる曜日"), mask_display(person.available_days, DAYS)),
        (_("活動できる時間帯"), mask_display(person.available_times, TIMES)),
        (_("活動できる日時の補足"), person.availability_note),
        (_("関わり方"), mask_display(person.ways, WAYS)),
        (_("職員メモ"), person.staff_note),
        (_("申込日時"), _fmt(person.registered_at)),
        (_("本人確認日時"), _fmt(person.confirmed_at)),
        (_("本人確認の方法"), person.get_confirm_method_display()),
        (_("最終更新確認日時"), _fmt(person.renewed_at)),
    ]
    rows += [[section, str(label), value] for label, value in values]
    for consent in person.consents.all():
        rows.append(
            [
                _("同意"),
                f"{consent.get_kind_display()}（{_('版')} {consent.version}）",
                f"{_('同意した') if consent.granted else _('同意しない')} {_fmt(consent.recorded_at)}",
            ]
        )
    for match in person.matches.select_related("spot"):
        rows.append(
            [
                _("マッチング"),
                str(match.spot),
                f"{match.get_status_display()} {match.hours}{_('時間')} {match.notes}".strip(),
            ]
        )
    for graduate in person.graduations.select_related("cohort"):
        rows.append([_("SDGs人材"), str(graduate.cohort), _fmt(graduate.completed_on)])
    return [[str(c) for c in row] for row in rows]


def _fmt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


@transaction.atomic
def person_erase(*, person: Person, reason: str, by: str = "") -> Person:
    """Erase a registration's personal data everywhere (history and mails included). An anonymous tombstone
    stays, so cumulative counts (registrations, SDGs人材, matches) do not go down. Idempotent."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status == Person.Status.ERASED:
        return person
    traces = [t for t in (person.email, person.phone) if t]
    now = timezone.now()
    # Queryset updates write no history row; the old history rows are deleted just below.
    Person.objects.filter(pk=person.pk).update(
        status=Person.Status.ERASED,
        name="",
        furigana="",
        age_band="",
        lives_in_city=False,
        works_in_city=False,
        studies_in_city=False,
        area="",
        email="",
        phone="",
        skills="",
        qualifications="",
        available_days=0,
        available_times=0,
        availability_note="",
        ways=0,
        staff_note="",
        submission_token=None,
        token_hash="",
        token_expires_at=None,
        retention_notice_at=None,
        erased_at=now,
    )
    person.refresh_from_db()
    person.fields.clear()
    Match.objects.filter(person=person).update(notes="")
    # The m2m history rows point at the history rows without a constraint: delete them by person first.
    apps.get_model("talentbank", "HistoricalPerson_fields").objects.filter(person_id=person.pk).delete()
    Person.history.filter(id=person.pk).delete()
    Match.history.filter(person_id=person.pk).update(notes="")
    # Admin log lines name the object as it was: replace the name with the tombstone's.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).update(object_repr=str(person))
    mail_forget(values=traces)
    if traces:
        # Any other queued mail quoting the address or number (none should) goes as well.
        mails = Q()
        for trace in traces:
            mails |= Q(body__contains=trace) | Q(subject__contains=trace)
        OutboundMail.objects.filter(mails).delete()
    record = ErasureRecord(person_ref=person.reference, reason=reason, erased_by=by[:150])
    record.full_clean()
    record.save()
    return person


def retention_run(*, now=None, site_url: str | None = None) -> dict[str, int]:
    """Notice people whose registration was not renewed within TALENTBANK_RETENTION_DAYS; erase those still
    not renewed TALENTBANK_NOTICE_DAYS after the notice, and pending registrations never confirmed.
    Idempotent: a second run the same day finds nothing to do."""
    now = now or timezone.now()
    site_url = site_url or settings.PORTAL_BASE_URL
    cutoff = now - timedelta(days=settings.TALENTBANK_RETENTION_DAYS)
    notice_cutoff = now - timedelta(days=settings.TALENTBANK_NOTICE_DAYS)
    erased = 0
    for person in Person.objects.due_for_erasure(cutoff, notice_cutoff):
        person_erase(person=person, reason=ErasureRecord.Reason.RETENTION, by="talentbank_retention")
        erased += 1
    unconfirmed = 0
    for person in Person.objects.unconfirmed_before(notice_cutoff):
        person_erase(person=person, reason=ErasureRecord.Reason.UNCONFIRMED, by="talentbank_retention")
        unconfirmed += 1
    noticed = 0
    for person in Person.objects.due_for_notice(cutoff):
        person_notify_retention(person=person, now=now, site_url=site_url)
        noticed += 1
    return {"noticed": noticed, "erased": erased, "unconfirmed_erased": unconfirmed}


@transaction.atomic
def person_notify_retention(*, person: Person, now, site_url: str) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.retention_notice_at is not None:
        return person
    person.retention_notice_at = now
    if person.email:
        raw = _issue_token(person, valid_days=settings.TALENTBANK_NOTICE_DAYS, now=now)
        body = render_to_string(
            "talentbank/mail/renew.txt",
            {
                "person": person,
                "link": _link(site_url, "talentbank:renew", raw),
                "days": settings.TALENTBANK_NOTICE_DAYS,
            },
        )
        mail_queue(
            to=person.email,
            subject=_("【清瀬市】市民人材バンク 登録継続の確認のお願い"),
            body=body,
            reply_to=[settings.TALENTBANK_OFFICE_EMAIL],
        )
    person.full_clean()
    person.save()
    return person
