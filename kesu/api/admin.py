from django.contrib import admin, messages
from django.utils import timezone

from kesu.api.actions import TokenRefused, do_create_api_token, do_revoke_api_token
from kesu.api.models import DEFAULT_DAYS, ApiToken, ApiTokenEvent


class ApiTokenEventInline(admin.TabularInline):
    model = ApiTokenEvent
    fields = ["at", "kind", "actor", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope"]
        return ["user", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A token's owner, purpose and scope never change: issue a new token instead.
        return ["user", "name", "scope", *self.readonly_fields]

    def get_inlines(self, request, obj):
        return [ApiTokenEventInline] if obj is not None else []

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        if change:
            return
        try:
            token, key = do_create_api_token(obj.user, request.user, name=obj.name, scope=obj.scope, days=DEFAULT_DAYS)
        except TokenRefused as error:
            messages.error(request, str(error))
            return
        obj.pk = token.pk
        messages.warning(
            request,
            f"令牌已创建，有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d}。请立即复制保存，此后不会再显示：{key}",
        )

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset) -> None:
        count = sum(do_revoke_api_token(token, request.user) for token in queryset.filter(revoked_at__isnull=True))
        messages.success(request, f"已吊销 {count} 个令牌")
