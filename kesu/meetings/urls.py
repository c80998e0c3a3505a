from django.urls import path

from kesu.meetings import views

urlpatterns = [
    path("jurisdictions/<int:jurisdiction_id>/meetings/", views.meeting_list, name="meetings-list"),
    path("jurisdictions/<int:jurisdiction_id>/meetings/new/", views.meeting_new, name="meetings-new"),
    path("jurisdictions/<int:jurisdiction_id>/decisions/", views.decision_list, name="meetings-decisions"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meetings-meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meetings-edit"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_download, name="meetings-minutes"),
    path("meetings/<int:meeting_id>/minutes.docx", views.minutes_docx, name="meetings-docx"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="meetings-decision"),
]
