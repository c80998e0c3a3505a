from django.contrib import admin

from kesu.org.models import Jurisdiction, Membership, MemberUnit, UnitAlias


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    fk_name = "unit"
    fields = ["alias", "jurisdiction"]
    extra = 0


@admin.register(MemberUnit)
class MemberUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "stands_for_all"]
    list_filter = ["jurisdiction"]
    search_fields = ["name"]
    inlines = [UnitAliasInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "role", "unit"]
    list_filter = ["role", "jurisdiction"]
    autocomplete_fields = ["jurisdiction"]
