import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_tokens_keep_their_rights(apps, schema_editor):
    """Tokens issued before scopes existed could write, and expire a year after they were made."""
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.all():
        token.scope = "read_write"
        token.expires_at = token.created_at + datetime.timedelta(days=365)
        token.save(update_fields=["scope", "expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=[("read", "只读"), ("read_write", "读写")], default="read", max_length=10, verbose_name="权限"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(existing_tokens_keep_their_rights, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
        migrations.CreateModel(
            name="ApiTokenEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("created", "创建令牌"), ("revoked", "吊销令牌")], max_length=10, verbose_name="操作")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("detail", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
                ("token", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="api.apitoken", verbose_name="令牌")),
            ],
            options={
                "verbose_name": "令牌记录",
                "verbose_name_plural": "令牌记录",
                "ordering": ["-at", "-id"],
            },
        ),
    ]
