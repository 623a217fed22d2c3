import re
import uuid

import pytest
from django.urls import reverse

from kiyose.models import OutboundMail
from talentbank.models import Consent, Person, Spot
from talentbank.views import RegisterView

pytestmark = pytest.mark.django_db


def _form_post(fields, **overrides):
    data = {
        "name": "清瀬 花子",
        "furigana": "キヨセ ハナコ",
        "age_band": "60s",
        "relation": ["lives", "works"],
        "area": "nakazato",
        "email": "hanako@example.jp",
        "phone": "０４２－１１１－２２２２",
        "interests": [str(fields["福祉・介護"].pk), str(fields["防災"].pk)],
        "skills": "料理",
        "qualifications": "",
        "available_days": ["1", "16"],
        "available_times": ["1", "2"],
        "availability_note": "",
        "ways": ["1", "2"],
        "consent_retain": "on",
        "consent_share": "on",
        "website": "",
        "_token": "6f2c1a8e-2a55-4d0e-9a55-3f1f4b0f9d11",
    }
    data.update(overrides)
    return data


def test_index_explains_purpose_and_law(client, fields):
    response = client.get(reverse("talentbank:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "利用目的" in body and "個人情報保護法" in body
    assert "福祉・介護" in body


def test_register_input_confirm_done(client, fields, mailoutbox):
    url = reverse("talentbank:register")
    page = client.get(url)
    assert page.status_code == 200
    assert "利用目的" in page.content.decode()
    confirm = client.post(url, _form_post(fields, _step="input"), follow=True)
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "入力内容の確認" in text and "きよせ　はなこ" in text and "042-111-2222" in text
    assert Person.objects.count() == 0
    done = client.post(url, _form_post(fields, _step="confirm"))
    assert done.status_code == 302 and done["Location"] == reverse("talentbank:register_done")
    person = Person.objects.get()
    assert person.status == Person.Status.PENDING
    assert person.furigana == "きよせ　はなこ"
    assert person.phone == "042-111-2222"
    assert person.lives_in_city and person.works_in_city and not person.studies_in_city
    assert person.available_days == 1 | 16 and person.ways == 3
    assert set(person.fields.values_list("name", flat=True)) == {"福祉・介護", "防災"}
    page = client.get(done["Location"])
    assert person.reference in page.content.decode()
    assert "清瀬 花子" not in page.content.decode()
    assert OutboundMail.objects.filter(to=["hanako@example.jp"]).count() == 1


def test_double_submit_creates_one_registration(client, fields):
    url = reverse("talentbank:register")
    for _ in range(3):
        client.post(url, _form_post(fields, _step="confirm"))
    assert Person.objects.count() == 1
    assert Consent.objects.count() == 3


def test_back_keeps_everything_typed(client, fields):
    response = client.post(reverse("talentbank:register"), _form_post(fields, _step="back"))
    body = response.content.decode()
    assert 'value="清瀬 花子"' in body
    assert re.search(r'value="16"[^>]*checked|checked[^>]*value="16"', body)


def test_contact_required_either_email_or_phone(client, fields):
    response = client.post(reverse("talentbank:register"), _form_post(fields, email="", phone="", _step="input"))
    body = response.content.decode()
    assert "メールアドレスか電話番号のどちらかを入力してください" in body
    assert Person.objects.count() == 0


def test_phone_only_registration_mails_nobody_but_the_office(client, fields, mailoutbox, settings):
    settings.TALENTBANK_OFFICE_EMAIL = "kyodo-office@example.jp"
    client.post(reverse("talentbank:register"), _form_post(fields, email="", _step="confirm"))
    person = Person.objects.get()
    assert person.token_hash == ""
    assert [m.to for m in OutboundMail.objects.all()] == [["kyodo-office@example.jp"]]
    page = client.get(reverse("talentbank:register_done"))
    assert "お電話で確認" in page.content.decode()


@pytest.mark.parametrize("furigana", ["清瀬", "kiyose", "きよせ1"])
def test_furigana_must_be_kana(client, fields, furigana):
    response = client.post(reverse("talentbank:register"), _form_post(fields, furigana=furigana))
    body = response.content.decode()
    assert "ひらがなかカタカナで入力してください" in body
    assert f'value="{furigana}"' in body


def test_retention_consent_is_required(client, fields):
    data = _form_post(fields, _step="confirm")
    del data["consent_retain"]
    response = client.post(reverse("talentbank:register"), data)
    assert "登録情報の保管への同意が必要です" in response.content.decode()
    assert Person.objects.count() == 0


def test_honeypot_blocks(client, fields):
    client.post(reverse("talentbank:register"), _form_post(fields, website="http://spam", _step="confirm"))
    assert Person.objects.count() == 0


def test_rate_limit(client, fields, settings, monkeypatch):
    settings.RATELIMIT_ENABLE = True
    # A group of its own: with Redis (CI) the counters outlive the test run.
    monkeypatch.setattr(RegisterView, "ratelimit_group", f"test-{uuid.uuid4()}")
    settings.TALENTBANK_RATE_LIMIT = "2/h"
    url = reverse("talentbank:register")
    codes = [
        client.post(
            url, _form_post(fields, _step="confirm", _token=f"6f2c1a8e-2a55-4d0e-9a55-3f1f4b0f9d1{i}")
        ).status_code
        for i in range(4)
    ]
    assert codes[:2] == [302, 302] and codes[-1] == 429
    assert Person.objects.count() == 2


def test_done_page_without_session_goes_back_to_form(client, db):
    response = client.get(reverse("talentbank:register_done"))
    assert response.status_code == 302


def test_spots_list_shows_open_spots_only_and_no_personal_data(client, make_spot, make_person, fields):
    person = make_person(interests=["福祉・介護"], name="秘密 次郎", email="jiro@example.jp", phone="042-999-8888")
    open_spot = make_spot(title="公開中のスポット")
    make_spot(title="審査中のスポット", status=Spot.Status.PROPOSED, published_at=None)
    from talentbank import services

    services.match_propose(spot=open_spot, person=person)
    body = client.get(reverse("talentbank:spots")).content.decode()
    assert "公開中のスポット" in body and "審査中のスポット" not in body
    for secret in ("秘密 次郎", "jiro@example.jp", "042-999-8888", "care@example.jp"):
        assert secret not in body


def test_spots_filter_by_field(client, make_spot, fields):
    make_spot(title="介護のスポット")
    make_spot(title="防災のスポット", field=fields["防災"])
    body = client.get(reverse("talentbank:spots"), {"field": fields["防災"].pk}).content.decode()
    assert "防災のスポット" in body and "介護のスポット" not in body
    assert client.get(reverse("talentbank:spots"), {"field": "abc", "page": "x"}).status_code == 200


def test_spot_proposal_flow_waits_for_review(client, fields, mailoutbox):
    url = reverse("talentbank:spot_propose")
    assert client.get(url).status_code == 200
    data = {
        "body_name": "NPO法人きよせ",
        "body_kind": "npo",
        "field": str(fields["環境・緑"].pk),
        "title": "雑木林の手入れ",
        "needed": "下草刈り",
        "skill_keywords": "草刈り、チェーンソー",
        "when_text": "毎月第2土曜日",
        "days": ["32"],
        "times": ["1"],
        "place": "中里緑地",
        "area": "nakazato",
        "headcount": "5",
        "ways": ["1"],
        "closes_on": "",
        "contact_name": "緑 一郎",
        "contact_email": "midori@example.jp",
        "contact_phone": "",
        "website": "",
        "_token": "0b6a1f2e-2a55-4d0e-9a55-3f1f4b0f9d11",
    }
    confirm = client.post(url, data | {"_step": "input"}, follow=True)
    assert "入力内容の確認" in confirm.content.decode()
    done = client.post(url, data | {"_step": "confirm"})
    assert done.status_code == 302
    client.post(url, data | {"_step": "confirm"})
    spot = Spot.objects.get()
    assert spot.status == Spot.Status.PROPOSED and spot.days == 32
    assert "雑木林の手入れ" not in client.get(reverse("talentbank:spots")).content.decode()
    assert spot.reference.startswith("S") and spot.reference in client.get(done["Location"]).content.decode()
    assert OutboundMail.objects.count() == 2


def test_spot_proposal_rejects_past_deadline_and_bad_headcount(client, fields):
    response = client.post(
        reverse("talentbank:spot_propose"),
        {
            "body_name": "x",
            "body_kind": "npo",
            "field": str(fields["防災"].pk),
            "title": "t",
            "needed": "n",
            "when_text": "w",
            "place": "p",
            "headcount": "0",
            "closes_on": "2000-01-01",
            "contact_name": "c",
            "contact_email": "c@example.jp",
            "_step": "input",
        },
    )
    body = response.content.decode()
    assert "募集期限は今日以降の日付にしてください" in body
    assert "1 以上" in body or "1以上" in body


def test_messages_stay_japanese_for_an_english_browser(client, fields):
    response = client.post(
        reverse("talentbank:register"),
        {"email": "not-an-address", "age_band": "zz", "interests": ["999"], "_step": "input"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    body = response.content.decode()
    assert "氏名を入力してください" in body
    assert "メールアドレスの形式で入力してください" in body
    assert "選択肢の中から選んでください" in body
    assert "This field is required" not in body and "Select a valid choice" not in body


def test_seed_is_idempotent_and_writes_no_history_twice(db):
    from talentbank import seed
    from talentbank.models import Field

    seed.load()
    seed.load()
    assert Field.objects.count() == 9
    assert Field.history.count() == 9
    assert list(Field.objects.values_list("name", flat=True))[:2] == ["福祉・介護", "子育て・教育"]
