"""The kit's template filters that draw markup in Python (kiyose.templatetags.kiyose)."""

from django.template import engines

LOOP = '{% for s, label, value in rows %}<dt>{{ label }}</dt><dd>{{ value|default:"—"|linebreaksbr }}</dd>{% endfor %}'


def _render(source, rows):
    return engines["django"].from_string(source).render({"rows": rows})


def test_definition_rows_draw_what_the_template_loop_drew():
    rows = [
        ["登録者", "氏名", "清瀬 花子"],
        ["登録者", "a<b & 'c'", "x\r\ny&<>\"'"],
        ["登録者", "電話番号", ""],
        ["登録者", "補足", "一行目\r二行目\n"],
        ["登録者", "なし", None],
        ["登録者", "数", 3],
        ["登録者", "零", 0],
    ]
    drawn = _render("{{ rows|definition_rows }}", rows)
    assert drawn == _render(LOOP, rows)
    assert "<dt>a&lt;b &amp; &#x27;c&#x27;</dt>" in drawn
    assert "<dd>x<br>y&amp;&lt;&gt;&quot;&#x27;</dd>" in drawn and "<dd>一行目<br>二行目<br></dd>" in drawn
    assert drawn.count("<dd>—</dd>") == 3


def test_definition_rows_stay_markup_inside_an_escaping_template():
    html = _render("<dl>{{ rows|definition_rows }}</dl>", [["s", "label", "<script>"]])
    assert html == "<dl><dt>label</dt><dd>&lt;script&gt;</dd></dl>"
