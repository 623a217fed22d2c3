"""Documents a visiting council uploads on its status page: what is taken, what is refused, where it goes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.models import DocumentUpload, Status
from inspections.services.uploads import upload_name_problem
from kiyose.models import OutboundMail
from tests.inspections import samples
from tests.inspections.factories import submitted, visit_day, walk, with_status_link

pytestmark = pytest.mark.django_db
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def accepted(settings):
    settings.INSPECTIONS_OFFICE_EMAIL = "office@example.jp"
    obj = walk(submitted(), Status.ACCEPTED, day=visit_day())
    return obj, with_status_link(obj)


def upload(client, raw, kind, name, content, content_type="application/octet-stream"):
    url = reverse("inspections:status_upload", kwargs={"token": raw})
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type)})


def stored_files(storage) -> list[Path]:
    root = Path(storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "name, content, kind, served_type",
    [
        ("依頼文書.pdf", samples.PDF, "letter", "application/pdf"),
        ("参加者名簿.docx", samples.DOCX, "participants", DOCX_TYPE),
        ("参加者名簿.doc", samples.DOC, "participants", "application/msword"),
        ("質問事項.xlsx", samples.XLSX, "questions", XLSX_TYPE),
        ("質問事項.xls", samples.XLS, "questions", "application/vnd.ms-excel"),
        ("行程.png", samples.PNG, "itinerary", "image/png"),
        ("行程.JPEG", samples.JPEG, "itinerary", "image/jpeg"),
    ],
)
def test_each_accepted_kind_is_stored_privately_and_ticks_the_checklist(
    client, accepted, private_files, name, content, kind, served_type
):
    obj, raw = accepted
    response = upload(client, raw, kind, name, content)
    assert response.status_code == 302
    document = DocumentUpload.objects.get()
    assert (document.kind, document.version, document.original_name) == (kind, 1, name)
    assert document.content_type == served_type and document.size == len(content)
    # Stored under a name of ours, never the visitor's, in the private storage.
    assert name not in document.file.name and document.file.name.startswith(f"inspections/{obj.pk}/{kind}/")
    assert [p.read_bytes() for p in stored_files(private_files)] == [content]
    obj.refresh_from_db()
    assert getattr(obj, f"doc_{kind}_received_on") == timezone.localdate()
    assert "「" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("名簿.pdf", samples.PLAIN_ZIP, "圧縮ファイル（ZIPなど）は受け付けていません。"),
        ("archive.zip", samples.PLAIN_ZIP, "圧縮ファイル（ZIPなど）は受け付けていません。"),
        ("依頼文書.pdf", samples.EXE, "プログラムのファイルは受け付けていません。"),
        ("行程.pdf", samples.ELF, "プログラムのファイルは受け付けていません。"),
        ("名簿.docx", samples.TEXT, "受け付けられるのは、PDF、Word（.docx・.doc）、Excel（.xlsx・.xls）、画像"),
        ("空.pdf", b"", "ファイルが空です（0バイト）。"),
        ("C:名簿.pdf", samples.PDF, "ファイル名にフォルダの区切りや制御文字"),
        (".pdf", samples.PDF, "ファイル名にフォルダの区切りや制御文字"),
    ],
)
def test_refused_files_leave_nothing_stored(client, accepted, private_files, name, content, message):
    obj, raw = accepted
    mails = OutboundMail.objects.count()
    response = upload(client, raw, "participants", name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DocumentUpload.objects.exists() and stored_files(private_files) == []
    obj.refresh_from_db()
    assert obj.doc_participants_received_on is None
    assert OutboundMail.objects.count() == mails


def test_a_file_over_the_limit_is_refused(client, accepted, private_files, settings):
    settings.INSPECTIONS_UPLOAD_MAX_BYTES = 1024
    _obj, raw = accepted
    response = upload(client, raw, "letter", "大きい.pdf", samples.PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "ファイルが大きすぎます。1KB以下のファイルにしてください。" in response.content.decode()
    assert not DocumentUpload.objects.exists() and stored_files(private_files) == []


@pytest.mark.parametrize(
    "raw_name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\名簿.pdf",
        "C:\\Users\\名簿.pdf",
        "名簿\x00.pdf",
        "名簿\x07.pdf",
        "fdp.\u202eexe.pdf",
        "名簿\n.pdf",
        "/absolute.pdf",
        "a..b.pdf",
    ],
)
def test_names_with_path_parts_or_control_characters_are_refused(raw_name):
    assert upload_name_problem(raw_name)
    assert upload_name_problem("参加者名簿（第2版）.pdf") is None


def test_a_name_whose_path_parts_the_parser_dropped_is_stored_under_our_own_path(client, accepted, private_files):
    _obj, raw = accepted
    upload(client, raw, "letter", "../../../../tmp/evil.pdf", samples.PDF)
    document = DocumentUpload.objects.get()
    assert document.original_name == "evil.pdf"
    assert all(Path(private_files.location) in p.parents for p in stored_files(private_files))


def test_a_pdf_named_otherwise_downloads_as_what_it_is(client, accepted):
    _obj, raw = accepted
    upload(client, raw, "letter", "依頼文書.docx", samples.PDF)
    assert DocumentUpload.objects.get().original_name == "依頼文書.docx.pdf"


def test_a_replacement_is_a_new_version_and_the_earlier_one_stays(
    client, accepted, private_files, django_capture_on_commit_callbacks
):
    obj, raw = accepted
    first_day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, raw, "participants", "名簿.pdf", samples.PDF)
        upload(client, raw, "participants", "名簿（訂正）.xlsx", samples.XLSX)
    versions = list(DocumentUpload.objects.order_by("version").values_list("version", "original_name"))
    assert versions == [(1, "名簿.pdf"), (2, "名簿（訂正）.xlsx")]
    assert len(stored_files(private_files)) == 2
    obj.refresh_from_db()
    assert obj.doc_participants_received_on == first_day
    # The office hears of each upload, about this request.
    notices = OutboundMail.objects.filter(to=["office@example.jp"], subject__contains="書類が提出されました")
    assert notices.count() == 2 and {m.about_id for m in notices} == {str(obj.pk)}
    assert "まだ届いていない書類：依頼文書、質問事項、行程" in notices.first().body
    text = client.get(reverse("inspections:status", kwargs={"token": raw})).content.decode()
    assert "名簿.pdf" in text and "名簿（訂正）.xlsx" in text and "第2版" in text


def test_uploads_only_between_acceptance_and_the_visit(client, private_files):
    obj = submitted()
    raw = with_status_link(obj)
    response = upload(client, raw, "letter", "依頼文書.pdf", samples.PDF)
    assert response.status_code == 400 and "受入決定から視察日までの間" in response.content.decode()
    assert stored_files(private_files) == []


def test_downloads_through_the_status_link_are_attachments_with_a_safe_name(client, accepted):
    obj, raw = accepted
    upload(client, raw, "letter", "依頼文書 最終;版.pdf", samples.PDF)
    document = DocumentUpload.objects.get()
    url = reverse("inspections:status_document", kwargs={"token": raw, "upload_id": document.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition.lower()
    quoted = "%E4%BE%9D%E9%A0%BC%E6%96%87%E6%9B%B8%20%E6%9C%80%E7%B5%82%3B%E7%89%88.pdf"
    assert disposition.endswith("filename*=utf-8''" + quoted)
    assert response["Content-Type"] == "application/pdf"
    # Another council's link does not reach it.
    other = with_status_link(walk(submitted(), Status.COORDINATING))
    url = reverse("inspections:status_document", kwargs={"token": other, "upload_id": document.pk})
    assert client.get(url).status_code == 404


def test_staff_see_the_uploads_on_the_request_and_download_them(client, make_staff, accepted):
    obj, raw = accepted
    upload(client, raw, "questions", "質問事項.pdf", samples.PDF)
    document = DocumentUpload.objects.get()
    client.force_login(make_staff("議会事務局"))
    page = client.get(reverse("admin:inspections_request_change", args=[obj.pk])).content.decode()
    download = reverse("admin:inspections_request_document", args=[obj.pk, document.pk])
    assert download in page and "質問事項.pdf" in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    client.force_login(make_staff("未来創造課", username="mirai"))
    assert client.get(download).status_code == 403


def test_the_private_alias_points_at_an_s3_store_when_configured():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVATE_S3_")} | {
        "DEBUG": "true",
        "PRIVATE_S3_BUCKET": "kiyose-private",
        "PRIVATE_S3_ENDPOINT_URL": "https://s3.example.jp",
        "PRIVATE_S3_REGION": "jp-east-1",
        "DJANGO_SETTINGS_MODULE": "kiyose.settings",
    }
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "from inspections.models import DocumentUpload\n"
        "s = storages['private']; f = DocumentUpload._meta.get_field('file').storage\n"
        "print(type(s).__name__, type(f).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.location)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.split() == [
        "S3Storage",
        "S3Storage",
        "kiyose-private",
        "https://s3.example.jp",
        "private",
        "private",
    ], result.stderr
