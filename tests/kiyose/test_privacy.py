"""/privacy/: the privacy notice and the register of personal-information files (個人情報ファイル簿), generated
from the models' declarations; /privacy/register.csv the same register for Excel."""

import csv
import io
import re

import pytest
from django.apps import apps

from kiyose import personal
from kiyose.models import Counter, Office
from kiyose.personal import PersonalData
from tests.kiyose.test_personal import declared  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get("/privacy/")
    assert response.status_code == 200
    return response.content.decode()


def _csv(client) -> list[list[str]]:
    response = client.get("/privacy/register.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_page_has_the_notice_and_every_declared_file(client):
    html = _page(client)
    assert "<h1>個人情報の取扱い（プライバシーポリシー）</h1>" in html
    headings = (
        "利用目的以外の利用・提供の制限",
        "安全管理のための措置",
        "開示・訂正・利用停止の請求",
        "個人情報ファイル簿",
    )
    for heading in headings:
        assert heading in html
    files = personal.files()
    assert files, "the kit declares files of its own"
    for entry in files:
        assert entry["file"] in html and entry["purpose"] in html
        assert "、".join(entry["items"]) in html


def test_each_file_is_a_table_with_a_caption_and_row_headers(client):
    html = _page(client)
    count = len(personal.files())
    assert html.count('<th scope="row">利用目的</th>') == count
    assert html.count('<th scope="row">保存期間</th>') == count
    assert len(re.findall(r"<caption[^>]*>「[^」]+」の内容</caption>", html)) == count
    assert f"個人情報ファイルの一覧（{count}件）" in html


def test_a_declaration_added_to_a_model_appears_on_the_page_and_in_the_csv(client, declared):  # noqa: F811
    declared(
        Counter,
        PersonalData(
            file="テスト用登録者ファイル",
            office="市民協働課",
            purpose="テストのための利用目的",
            source="本人（テスト用フォーム）",
            retention="登録から2年",
            subjects="テストに登録した方",
            personal=["key"],
            other=["value"],
        ),
    )
    html = _page(client)
    assert "テスト用登録者ファイル" in html and "テストのための利用目的" in html and "登録から2年" in html
    # The office as its contact block names it, and its block among the contacts for requests.
    assert "清瀬市 地域振興部 市民協働課" in html
    assert 'id="contact-kyodo"' in html
    rows = _csv(client)
    row = next(r for r in rows if r[1] == "テスト用登録者ファイル")
    item = str(Counter._meta.get_field("key").verbose_name)
    assert row[2:] == [
        "テストのための利用目的",
        item,
        "テストに登録した方",
        "本人（テスト用フォーム）",
        "なし",
        "登録から2年",
        "清瀬市 地域振興部 市民協働課",
        "市民協働課の職員",
    ]


def test_the_csv_has_one_row_per_file_under_the_registers_headings(client):
    rows = _csv(client)
    assert rows[0] == [
        "番号",
        "個人情報ファイルの名称",
        "利用目的",
        "記録項目",
        "記録範囲",
        "収集方法",
        "経常的提供先",
        "保存期間",
        "担当課",
        "利用者の範囲",
    ]
    assert [r[1] for r in rows[1:]] == [f["file"] for f in personal.files()]
    mail = next(r for r in rows if r[1] == "送信メール記録")
    assert mail[3] == "宛先、件名、本文、返信先、直近のエラー、ファイル名、内容"


def test_files_no_section_owns_are_answered_by_the_city_hall(client):
    html = _page(client)
    assert personal.SYSTEMS_OFFICE in html
    assert 'id="contact-cityhall"' in html and "042-492-5111" in html


def test_a_contact_block_edited_by_staff_shows_at_once(client, declared):  # noqa: F811
    declared(
        Counter,
        PersonalData(
            file="協働ファイル",
            office="市民協働課",
            purpose="p",
            source="s",
            retention="r",
            personal=["key"],
            other=["value"],
        ),
    )
    assert "kyodo@example.jp" not in _page(client)
    office = Office.objects.get(key="kyodo")
    office.email = "kyodo@example.jp"
    office.save()
    assert "kyodo@example.jp" in _page(client)


def test_the_notice_claims_only_the_measures_switched_on(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    settings.ADMIN_ALLOWED_NETWORKS = []
    settings.ACCESS_LOG_RETENTION_DAYS = 1826
    html = _page(client)
    assert "2段階認証" in html and "あらかじめ定めたネットワーク" not in html
    assert "5年保存します" in html


def test_the_network_rule_is_stated_when_set(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.STAFF_MFA_REQUIRED = False
    settings.PAGE_CACHE_SECONDS = 0
    html = _page(client)
    assert "あらかじめ定めたネットワーク" in html and "2段階認証" not in html
    assert "10.0.0.0" not in html


def test_the_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries, declared, settings):  # noqa: F811
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(2):  # the offices for the register, the footer's block
        _page(client)
    for i, model in enumerate(apps.get_app_config("auth").get_models()):
        declared(
            model,
            PersonalData(
                file=f"ファイル{i}", office="議会事務局", purpose="p", source="s", retention="r", personal=[], other=[]
            ),
        )
    declared(
        Counter,
        PersonalData(
            file="もう一つ",
            office="未来創造課",
            purpose="p",
            source="s",
            retention="r",
            personal=["key"],
            other=["value"],
        ),
    )
    with django_assert_num_queries(2):
        _page(client)


def test_every_page_links_to_the_notice_from_its_footer(client):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/privacy/"' in footer


def test_the_pages_answer_only_reads(client):
    assert client.post("/privacy/").status_code == 405
    assert client.post("/privacy/register.csv").status_code == 405
    assert client.head("/privacy/").status_code == 200


def test_the_register_is_declared_as_public_pages():
    from kiyose.pages import DOWNLOAD, READ, registry

    kinds = {p.name: p.kind for p in registry()}
    assert kinds["privacy"] == READ and kinds["privacy_register_csv"] == DOWNLOAD


def test_a_visitor_holding_a_session_gets_the_kept_notice_and_staff_edits_at_once(client, django_assert_num_queries):
    first = _page(client)
    client.cookies["sessionid"] = "a-visitor-in-the-middle-of-a-form"
    with django_assert_num_queries(1):  # the session lookup: the notice and the contact blocks are kept rendered
        assert _page(client) == first
    office = Office.objects.get(key="kyodo")
    office.email = "kyodo-kept@example.jp"
    office.save()
    assert "kyodo-kept@example.jp" in _page(client)
