from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_counters_into_the_kit")]

    operations = [
        migrations.DeleteModel(name="Counter"),
        migrations.AddConstraint(
            model_name='request',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), models.Q(('withdraw_reason', ''), _negated=True), _connector='OR'), name='inspections_request_withdrawn_has_reason'),
        ),
    ]
