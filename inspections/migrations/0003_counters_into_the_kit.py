"""Numbers move to the kit's one counter table (kiyose.numbering): each fiscal year's last reference and letter
number is copied, so no number is ever issued twice. Requests withdrawn before a reason was asked for get a
note saying so, before the database starts to require one."""

from django.db import migrations

# Old key prefix → the kit's series (kiyose.numbering.yearly_number(series=…) keys are "<series>-<year>").
SERIES = {"request-": "inspections-request-", "letter-": "inspections-letter-"}
NO_REASON = "（取下げの理由は記録されていません）"


def forwards(apps, schema_editor):
    Old = apps.get_model("inspections", "Counter")
    Kit = apps.get_model("kiyose", "Counter")
    for old in Old.objects.all():
        for prefix, series in SERIES.items():
            if old.key.startswith(prefix):
                kit, _created = Kit.objects.get_or_create(key=series + old.key[len(prefix):])
                if kit.value < old.value:
                    kit.value = old.value
                    kit.save(update_fields=["value"])
    Request = apps.get_model("inspections", "Request")
    Request.objects.filter(status="withdrawn", withdraw_reason="").update(withdraw_reason=NO_REASON)


def backwards(apps, schema_editor):
    Old = apps.get_model("inspections", "Counter")
    Kit = apps.get_model("kiyose", "Counter")
    for prefix, series in SERIES.items():
        for kit in Kit.objects.filter(key__startswith=series):
            Old.objects.update_or_create(key=prefix + kit.key[len(series):], defaults={"value": kit.value})


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_status_link_uploads_enquiries"),
        ("kiyose", "0002_kit_counter_transitions_mail"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
