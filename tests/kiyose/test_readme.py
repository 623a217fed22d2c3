"""The README's table of public pages is the registry's (kiyose.pages), so a page added, renamed or removed
without the README fails here; `manage.py pages_table` prints the table to paste."""

from pathlib import Path

from kiyose.pages import markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"
START = "<!-- pages_table: start -->"
END = "<!-- pages_table: end -->"


def test_the_readme_lists_exactly_the_registered_public_pages():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "README.md lost the markers around its page table"
    table = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert table == markdown_table(), "README's page table differs: paste `python manage.py pages_table`"


def test_the_table_names_every_registered_route():
    from kiyose.pages import registry

    table = markdown_table()
    assert len(table.splitlines()) == len(registry()) + 2
    assert "`/inspections/status/<token>/`" in table
