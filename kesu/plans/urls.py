from django.urls import path

from kesu.plans import views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/import/", views.import_upload, name="plan-import"),
    path("plans/import/<int:pending_id>/", views.import_confirm, name="plan-import-confirm"),
    path("plans/<int:plan_id>/", views.overview, name="plan-overview"),
    path("plans/<int:plan_id>/matrix/", views.matrix, name="plan-matrix"),
    path("plans/<int:plan_id>/units/", views.unit_list, name="plan-units"),
    path("plans/<int:plan_id>/units/<int:unit_id>/", views.unit_detail, name="plan-unit"),
    path("plans/<int:plan_id>/targets/", views.target_list, name="plan-targets"),
    path("plans/<int:plan_id>/print/", views.print_view, name="plan-print"),
    path("plans/<int:plan_id>/history/", views.history, name="plan-history"),
    path("plans/<int:plan_id>/export/division.xlsx", views.export_division, name="plan-export-division"),
    path("plans/<int:plan_id>/export/targets.xlsx", views.export_targets, name="plan-export-targets"),
    path("plans/<int:plan_id>/export/plan.json", views.export_json, name="plan-export-json"),
    path("plans/<int:plan_id>/edit/", views.edit_plan, name="plan-edit"),
    path("plans/<int:plan_id>/status/", views.set_status, name="plan-status"),
    path("plans/<int:plan_id>/sections/<int:section_id>/edit/", views.edit_section, name="section-edit"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/edit/", views.edit_task, name="task-edit"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/targets/new/", views.edit_target, name="target-new"),
    path("plans/<int:plan_id>/targets/<int:target_id>/edit/", views.edit_target, name="target-edit"),
    path("plans/<int:plan_id>/targets/<int:target_id>/delete/", views.delete_target, name="target-delete"),
    path("plans/<int:plan_id>/units/<int:unit_id>/merge/", views.merge_unit, name="unit-merge"),
    path("jurisdictions/<int:jurisdiction_id>/compare/", views.compare, name="compare"),
]
