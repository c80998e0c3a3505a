"""The in-app notice moves to kesu.notices (shared infrastructure); its table stays, only the state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_summary_leases")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Notice")]),
    ]
