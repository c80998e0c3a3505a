from django.urls import path

from kesu.tracking import item_views, public, views

urlpatterns = [
    path("plans/<int:plan_id>/tracking/", views.plan_tracking, name="tracking-plan"),
    path("plans/<int:plan_id>/tracking/cycles/<int:cycle_id>/", views.cycle_detail, name="tracking-cycle"),
    path("plans/<int:plan_id>/tracking/cycles/<int:cycle_id>/exceptions/", views.grant_exception, name="tracking-exception"),
    path("plans/<int:plan_id>/tracking/cycles/<int:cycle_id>/approve/", views.approve_reports, name="tracking-cycle-approve"),
    path("plans/<int:plan_id>/tracking/cycles/<int:cycle_id>/urge/", views.urge_units, name="tracking-cycle-urge"),
    path("plans/<int:plan_id>/tracking/cycles/<int:cycle_id>/reports.xlsx", views.export_cycle, name="tracking-cycle-xlsx"),
    path("plans/<int:plan_id>/tracking/cycles/<int:cycle_id>/print/", views.print_cycle, name="tracking-cycle-print"),
    path("plans/<int:plan_id>/tracking/mine/", views.my_reports, name="tracking-my-reports"),
    path("plans/<int:plan_id>/tracking/activities/", views.activities, name="tracking-activities"),
    path("plans/<int:plan_id>/tracking/targets/", views.target_progress, name="tracking-targets"),
    path("reports/<int:report_id>/", views.report_detail, name="tracking-report"),
    path("reports/<int:report_id>/review/", views.review_report, name="tracking-review"),
    path("reports/<int:report_id>/evidence/", views.upload_evidence, name="tracking-evidence-upload"),
    path("reports/<int:report_id>/contribution/", views.save_contribution, name="tracking-contribution"),
    path("item-reports/<int:item_report_id>/", item_views.item_report, name="tracking-item-report"),
    path("item-reports/<int:item_report_id>/review/", item_views.review_item_report, name="tracking-item-review"),
    path("evidence/<int:evidence_id>/", views.download_evidence, name="tracking-evidence"),
    path("evidence/<int:evidence_id>/delete/", views.delete_evidence, name="tracking-evidence-delete"),
]

urlpatterns += [
    path("plans/<int:plan_id>/dashboard/", views.dashboard, name="tracking-dashboard"),
    path("plans/<int:plan_id>/assessment/", views.assessment_current, name="tracking-assessment-current"),
    path("plans/<int:plan_id>/assessment/<int:year>/", views.assessment, name="tracking-assessment"),
    path("plans/<int:plan_id>/assessment/<int:year>/rubric/", views.save_rubric, name="tracking-rubric"),
    path("plans/<int:plan_id>/assessment/<int:year>/adjust/", views.adjust_score, name="tracking-adjust"),
    path("plans/<int:plan_id>/assessment/<int:year>/scores.xlsx", views.export_scores, name="tracking-scores-xlsx"),
    path("jurisdictions/<int:jurisdiction_id>/rollup/", views.rollup_view, name="tracking-rollup"),
]

urlpatterns += [
    path("public/", public.public_plans, name="public-plans"),
    path("public/plans/<int:plan_id>/", public.public_plan, name="public-plan"),
    path("public/evidence/<int:evidence_id>/", public.public_evidence, name="public-evidence"),
]

urlpatterns += [
    path("plans/<int:plan_id>/summaries/", views.summaries, name="tracking-summaries"),
    path("summaries/<int:document_id>/retry/", views.retry_summary, name="tracking-summary-retry"),
    path("summaries/<int:document_id>/cancel/", views.cancel_summary, name="tracking-summary-cancel"),
    path("summaries/<int:document_id>/<str:kind>/", views.download_summary, name="tracking-summary-file"),
]
