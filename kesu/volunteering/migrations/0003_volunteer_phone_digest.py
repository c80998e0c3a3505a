"""A keyed digest of each volunteer's phone number, so that duplicates can be found without decrypting every row;
existing volunteers get theirs from their (decrypted) number."""

from django.db import migrations, models

from kesu.volunteering.crypto import digest, normalise_phone


def backfill_phone_digests(apps, schema_editor) -> None:
    Volunteer = apps.get_model("services", "Volunteer")
    changed = []
    for volunteer in Volunteer.objects.only("pk", "phone").iterator(chunk_size=500):
        volunteer.phone_digest = digest(normalise_phone(volunteer.phone))
        changed.append(volunteer)
    Volunteer.objects.bulk_update(changed, ["phone_digest"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0002_service_events'),
    ]

    operations = [
        migrations.AddField(
            model_name='volunteer',
            name='phone_digest',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='serviceevent',
            name='kind',
            field=models.CharField(choices=[('limits_changed', '修改服务时限'), ('topic_added', '添加服务主题'), ('topic_toggled', '启用/停用服务主题'), ('area_saved', '保存服务区域'), ('area_toggled', '启用/停用服务区域'), ('role_granted', '开通服务角色'), ('role_revoked', '撤销服务角色'), ('team_saved', '保存服务队'), ('volunteer_saved', '保存志愿者信息'), ('membership_requested', '申请入队'), ('membership_decided', '审核入队/移出服务队'), ('hours_recorded', '登记活动服务时长'), ('base_saved', '保存科普教育基地'), ('base_reviewed', '科普教育基地年度复核'), ('target_bound', '目标绑定实时统计'), ('target_unbound', '目标改回按报告填报'), ('import_uploaded', '上传导入文件'), ('import_confirmed', '确认导入'), ('contact_revealed', '查看志愿者完整号码')], max_length=20, verbose_name='操作'),
        ),
        migrations.RunPython(backfill_phone_digests, migrations.RunPython.noop),
    ]
