from django.db import migrations
from django.db.models import Q

# The marks as they were when this migration was written (sdgs.models.REDACTION_MARKS may grow later).
MARKS = ("[REDACTED]", "■")


def unpublish_redacted(apps, schema_editor):
    """A KPI loaded with the proposal's blacked-out name was public before the flag existed: take it down."""
    Kpi = apps.get_model("sdgs", "Kpi")
    condition = Q()
    for mark in MARKS:
        condition |= Q(indicator__contains=mark)
    Kpi.objects.filter(condition).update(published=False)


class Migration(migrations.Migration):
    dependencies = [
        ("sdgs", "0003_kpi_published"),
    ]

    operations = [
        migrations.RunPython(unpublish_redacted, migrations.RunPython.noop),
    ]
