from django.urls import path

from kesu.liaisons import views

urlpatterns = [
    path("liaisons/<int:jurisdiction_id>/", views.roster_page, name="liaisons-roster"),
    path("liaisons/<int:jurisdiction_id>/units/<int:unit_id>/", views.unit_page, name="liaisons-unit"),
    path("liaisons/<int:jurisdiction_id>/units/<int:unit_id>/edit/", views.edit_page, name="liaisons-edit"),
    path("liaisons/entries/<int:entry_id>/end/", views.end_entry, name="liaisons-end"),
    path("liaisons/entries/<int:entry_id>/reveal/", views.reveal_mobile, name="liaisons-reveal"),
    path("liaisons/<int:jurisdiction_id>/contacts.xlsx", views.export_contacts, name="liaisons-export"),
    path("liaisons/<int:jurisdiction_id>/trainings/", views.trainings_page, name="liaisons-trainings"),
    path("liaisons/<int:jurisdiction_id>/trainings/new/", views.training_new, name="liaisons-training-new"),
    path("liaisons/<int:jurisdiction_id>/history/", views.history_page, name="liaisons-history"),
]
