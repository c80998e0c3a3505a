from django.urls import path

from kesu.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_mine, name="campaigns-mine"),
    path("jurisdictions/<int:jurisdiction_id>/campaigns/", views.campaign_list, name="campaigns-list"),
    path("jurisdictions/<int:jurisdiction_id>/campaigns/new/", views.campaign_new, name="campaigns-new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaigns-campaign"),
    path("campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaigns-edit"),
    path("campaigns/<int:campaign_id>/register/", views.register, name="campaigns-register"),
    path("campaigns/activities/<int:entry_id>/edit/", views.activity_edit, name="campaigns-activity-edit"),
    path("campaigns/activities/<int:entry_id>/withdraw/", views.activity_withdraw, name="campaigns-activity-withdraw"),
    path("campaigns/<int:campaign_id>/report.docx", views.report_docx, name="campaigns-docx"),
    path("campaigns/<int:campaign_id>/report.xlsx", views.report_xlsx, name="campaigns-xlsx"),
    path("campaigns/photos/<int:evidence_id>/", views.photo, name="campaigns-photo"),
    path("public/campaigns/", views.calendar, name="campaigns-calendar"),
]
