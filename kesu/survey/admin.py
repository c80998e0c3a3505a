from django.contrib import admin

from kesu.survey.models import LiteracyFigure, SurveyEvent, SurveyRun


@admin.register(SurveyRun)
class SurveyRunAdmin(admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "year", "status", "progress", "created_by", "created_at"]
    list_filter = ["status", "year"]
    readonly_fields = ["result", "error", "options", "token"]


@admin.register(LiteracyFigure)
class LiteracyFigureAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "year", "kind", "value", "source", "entered_by", "entered_at"]
    list_filter = ["kind", "year"]


@admin.register(SurveyEvent)
class SurveyEventAdmin(admin.ModelAdmin):
    list_display = ["at", "jurisdiction", "kind", "subject", "actor"]
    list_filter = ["kind"]
