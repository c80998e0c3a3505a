from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save


class OrgConfig(AppConfig):
    name = "kesu.org"
    label = "org"
    verbose_name = "组织与账号"

    def ready(self) -> None:
        from kesu.org import access
        from kesu.org.models import Membership

        # One load of the signed-in user's memberships per request (see kesu.org.access.memberships_of).
        request_started.connect(access.open_request_scope, dispatch_uid="kesu-access-open")
        request_finished.connect(access.close_request_scope, dispatch_uid="kesu-access-close")

        def forget(sender: type, instance: Membership, **_: object) -> None:
            access.forget_memberships(instance.user_id)

        post_save.connect(forget, sender=Membership, dispatch_uid="kesu-access-forget-saved", weak=False)
        post_delete.connect(forget, sender=Membership, dispatch_uid="kesu-access-forget-deleted", weak=False)
