from django.contrib import admin

from kesu.plans.models import Plan, PlanEvent


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "period_start", "period_end", "status"]
    list_filter = ["status", "jurisdiction__level"]
    search_fields = ["title", "jurisdiction__name"]


@admin.register(PlanEvent)
class PlanEventAdmin(admin.ModelAdmin):
    list_display = ["at", "plan", "actor", "kind", "subject", "field"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in PlanEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
