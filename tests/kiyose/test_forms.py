import pytest
from django.core.exceptions import ValidationError

from kiyose.forms import normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０４２－４９７－２５６６", "042-497-2566"),
        ("042ー497ー2566", "042-497-2566"),
        ("0424972566", "0424972566"),
        (" 090-1234-5678 ", "090-1234-5678"),
        ("(042)497-2566", "042497-2566"),
    ],
)
def test_phone_numbers_are_normalised(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "abc", "042-497-25666666", "+81 42 497 2566x"])
def test_bad_phone_numbers_are_refused_with_a_japanese_message(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalise_phone(typed)
    assert "電話番号" in excinfo.value.messages[0]


def test_kana_field_in_a_portal_form_keeps_the_space_between_family_and_given_name():
    # PortalFormMixin's text pass used to run NFKC again after the kana rule, turning the full-width space into
    # an ASCII one that the rule then refused: "きよせ　はなこ" failed in every portal form.
    from django import forms as dj_forms

    from kiyose.forms import KanaField, PortalFormMixin

    class NameForm(PortalFormMixin, dj_forms.Form):
        furigana = KanaField(label="ふりがな", max_length=100)

    for typed in ("きよせ　はなこ", "キヨセ ハナコ", "ｷﾖｾ ﾊﾅｺ"):
        form = NameForm(data={"furigana": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["furigana"].replace(" ", "　") == "きよせ　はなこ"
    refused = NameForm(data={"furigana": "きよせ\x00はなこ"})
    assert not refused.is_valid()


@pytest.mark.django_db
def test_a_model_choice_is_read_in_one_plain_query_however_often_the_form_uses_it(django_assert_num_queries):
    # Django reads a model field's choices with QuerySet.iterator(): on PostgreSQL a server-side cursor (DECLARE,
    # FETCH, CLOSE) per reading. A portal form reads a short list once and keeps it for its request.
    from django import forms as dj_forms
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kiyose.forms import PortalFormMixin
    from kiyose.models import Office

    Office.objects.create(key="test-a", name="議会事務局")
    Office.objects.create(key="test-b", name="未来創造課")

    class OfficeForm(PortalFormMixin, dj_forms.Form):
        office = dj_forms.ModelChoiceField(
            label="担当", queryset=Office.objects.filter(key__startswith="test-").order_by("key")
        )

    with CaptureQueriesContext(connection) as queries:
        form = OfficeForm()
        drawn = [str(label) for _value, label in form.fields["office"].choices]
        again = str(form["office"])
    assert drawn == ["選択してください", "議会事務局", "未来創造課"]
    assert "未来創造課" in again
    assert len(queries) == 1 and not any("DECLARE" in q["sql"] for q in queries.captured_queries)
    # Each form has its own copy: staff adding an office is seen by the next form.
    Office.objects.create(key="test-c", name="市民協働課")
    assert [str(label) for _v, label in OfficeForm().fields["office"].choices][-1] == "市民協働課"
    bound = OfficeForm(data={"office": Office.objects.get(key="test-b").pk})
    assert bound.is_valid() and bound.cleaned_data["office"].name == "未来創造課"
