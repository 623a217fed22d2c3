"""The backup tests' data and tools: a database filled in every table the apps have, its snapshot, and ways to
rewrite an archive (tests/kiyose/test_backup.py)."""

import datetime as dt
import hashlib
import io
import json
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiyose.models import OutboundMail
from tests.certification.conftest import application_data
from tests.inspections import factories
from tests.talentbank.conftest import registration_data

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NEWEST_TASKS_MIGRATION = ("django_tasks_database", "0021_conditional_partial_index_ordering")
FILLED = [
    "auth_user",
    "auth_user_groups",
    "auth_group_permissions",
    "django_session",
    "django_admin_log",
    "axes_accessattempt",
    "kiyose_outboundmail",
    "sdgs_actual",
    "sdgs_historicalactual",
    "sdgs_kpi_sdg_targets",
    "inspections_request",
    "inspections_request_topics",
    "inspections_historicalrequest_topics",
    "inspections_visitslot",
    "inspections_letter",
    "inspections_councilsession",
    "inspections_blockeddate",
    "kiyose_counter",
    "certification_application",
    "certification_selfcheckanswer",
    "certification_certificate",
    "certification_reportinvitation",
    "certification_historicalcertificate",
    "talentbank_person",
    "talentbank_person_fields",
    "talentbank_consent",
    "talentbank_spot",
    "talentbank_match",
    "talentbank_cohort",
    "talentbank_graduate",
    "talentbank_historicalperson",
]


# --- Helpers -------------------------------------------------------------------------------------------------
def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash of the stored values (raw SQL, not the code under test) of every table."""
    qn = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def populate(private_root: Path) -> int:
    """The city's seed data plus rows in every app, made the way staff and visitors make them."""
    from certification import services as certification
    from certification.models import SelfCheckQuestion
    from inspections.models import BlockedDate, CouncilSession, Programme
    from inspections.services.requests import letters_issue
    from sdgs.models import Actual, Kpi
    from sdgs.services import actual_save
    from talentbank.models import Cohort, Field, Graduate, Spot
    from talentbank.services import match_propose, person_confirm_by_phone, person_register

    call_command("seed", verbosity=0)
    staff = get_user_model().objects.create_user("backup-staff", password="correct-horse-battery-42", is_staff=True)
    staff.groups.add(Group.objects.get(name="市民協働課"))
    Client().force_login(staff)  # a session row
    Client().post(reverse("admin:login"), {"username": "backup-staff", "password": "wrong"})  # axes rows
    LogEntry.objects.log_actions(user_id=staff.pk, queryset=[staff], action_flag=CHANGE, change_message="テスト")

    request = factories.submitted(topics=[Programme.objects.first()])
    factories.walk(request, "accepted", day=factories.visit_day())
    letters_issue(request_ids=[request.pk], kind="accept")
    CouncilSession.objects.create(
        name="令和8年第2回定例会", opens_on=dt.date(2026, 6, 2), closes_on=dt.date(2026, 6, 20)
    )
    BlockedDate.objects.create(starts_on=dt.date(2026, 8, 10), ends_on=dt.date(2026, 8, 14), reason="庁舎点検")

    actual_save(
        actual=Actual(kpi=Kpi.objects.order_by("pk").first(), fiscal_year=2024, value=Decimal("12.5"), source="テスト")
    )

    answers = {q.pk: True for q in SelfCheckQuestion.objects.filter(active=True)}
    application = certification.application_submit(data=application_data(), answers=answers, token=uuid.uuid4())
    application = certification.application_review_start(application=application)
    certificate = certification.application_certify(application=application, today=dt.date(2026, 6, 1))
    certification.report_invitation_issue(
        certificate=certificate, year=certificate.report_years()[0], today=dt.date(2026, 6, 1)
    )

    fields = {f.name: f for f in Field.objects.all()}
    person = person_register(data=registration_data(fields), token=uuid.uuid4(), site_url="http://testserver/")
    person = person_confirm_by_phone(person=person)
    spot = Spot.objects.create(
        title="送迎の補助",
        body_name="清瀬ケアセンター",
        body_kind=Spot.BodyKind.CARE,
        field=fields["福祉・介護"],
        needed="送迎補助",
        when_text="毎週水曜",
        place="中里",
        headcount=2,
        status=Spot.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    match_propose(spot=spot, person=person, note="候補")
    Graduate.objects.create(
        cohort=Cohort.objects.create(fiscal_year=2025, participants=12),
        person=person,
        completed_on=dt.date(2026, 3, 10),
    )

    # A deleted row: its id must not be handed out again after a restore.
    deleted = OutboundMail.objects.create(to=["gone@example.jp"], subject="削除予定", body="…")
    deleted_id = deleted.pk
    deleted.delete()

    (private_root / "talentbank" / "2026").mkdir(parents=True)
    (private_root / "talentbank" / "2026" / "申請書.pdf").write_bytes(bytes(range(256)) * 40)
    (private_root / "readme.txt").write_text("非公開ファイル\n", encoding="utf-8")
    return deleted_id


def content_hash(lines: list[str]) -> str:
    """The manifest's content hash of a table without JSON columns: SHA-256 over its rows' sorted SHA-256s."""
    return hashlib.sha256(b"".join(sorted(hashlib.sha256(line.encode()).digest() for line in lines))).hexdigest()


def wipe_by_dropping_every_table() -> None:
    from kiyose.backup.tables import drop_all_tables

    with connection.constraint_checks_disabled():
        drop_all_tables(connection)
    assert connection.introspection.table_names() == []


def rewrite(source: Path, target: Path, *, members=None, manifest=None, recompute=True) -> Path:
    """A copy of an archive with members and manifest edited (checksums recomputed unless told not to)."""
    with tarfile.open(source, "r:gz") as tar:
        contents = {m.name: tar.extractfile(m).read() for m in tar}
    data = json.loads(contents.pop("manifest.json"))
    if members:
        contents = members(contents)
    if recompute:
        data["members"] = {
            name: {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()} for name, body in contents.items()
        }
    if manifest:
        manifest(data)
    contents["manifest.json"] = json.dumps(data, ensure_ascii=False).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, body in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return target


def private_storage(root: Path) -> dict:
    return {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
