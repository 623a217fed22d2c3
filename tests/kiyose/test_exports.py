from kiyose.exports import csv_response


def test_csv_starts_with_a_bom_and_keeps_characters_outside_shift_jis():
    response = csv_response("records.csv", ["自治体名", "人数"], [["𠮷野町議会", 12], ["清瀬市", None]])
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines() == ["自治体名,人数", "𠮷野町議会,12", "清瀬市,"]
    assert "\r\n" in text
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="records.csv"' in response["Content-Disposition"]


def test_csv_file_name_in_japanese_is_sent_as_utf8():
    response = csv_response("行政視察実績.csv", ["a"], [])
    assert "filename*=UTF-8''%E8%A1%8C" in response["Content-Disposition"]


def test_cells_that_excel_would_run_as_formulas_are_made_text():
    rows = [['=HYPERLINK("http://evil.example")', "+81 3", "-2+3", "@SUM(A1)", "\t=1+1", "普通の文字", -3, 12]]
    text = csv_response("x.csv", ["h"], rows).content.decode("utf-8-sig")
    line = text.splitlines()[1]
    assert line.startswith("\"'=HYPERLINK")
    for cell in ("'+81 3", "'-2+3", "'@SUM(A1)", "'\t=1+1", "普通の文字", ",-3,12"):
        assert cell in line, cell
