"""The in-app notice, moved here from tracking: the table tracking_notice is kept as it is (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("tracking", "0004_move_notice_to_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="Notice",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("created_at", models.DateTimeField(auto_now_add=True)),
                    ("title", models.CharField(max_length=200)),
                    ("body", models.TextField(blank=True)),
                    ("link", models.CharField(blank=True, max_length=300)),
                    ("read_at", models.DateTimeField(blank=True, null=True)),
                    ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notices",
                                               to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    "verbose_name": "站内提醒",
                    "verbose_name_plural": "站内提醒",
                    "db_table": "tracking_notice",
                    "ordering": ["-created_at"],
                    "indexes": [models.Index(fields=["user", "read_at"], name="tracking_no_user_id_e3dec2_idx")],
                },
            ),
        ]),
    ]
