"""The offices' contact blocks, exactly as the city's documents print them. A detail no document gives stays
empty (staff enter it in the admin). Existing rows are never overwritten: staff edits win."""

from importlib import import_module

from django.utils.translation import gettext as _

from kiyose.models import Office

# The same list the migration 0004_seed_offices added; kept here so `manage.py seed` restores a deleted row.
OFFICES = import_module("kiyose.migrations.0004_seed_offices").OFFICES


def load(stdout=None) -> dict[str, int]:
    created = 0
    for values in OFFICES:
        values = dict(values)
        key = values.pop("key")
        _office, was_created = Office.objects.get_or_create(key=key, defaults=values)
        created += was_created
    if stdout is not None:
        stdout.write(_("問い合わせ先：%(n)d 件を追加しました。") % {"n": created})
    return {"offices": created}
