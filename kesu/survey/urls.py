"""Mounted at /survey/ (kesu/urls.py)."""

from django.urls import path

from kesu.survey import views

urlpatterns = [
    path("", views.index, name="survey-index"),
    path("<int:jurisdiction_id>/", views.home, name="survey-home"),
    path("<int:jurisdiction_id>/new/", views.upload, name="survey-upload"),
    path("<int:jurisdiction_id>/samples/<str:kind>.csv", views.upload_sample, name="survey-upload-sample"),
    path("<int:jurisdiction_id>/trend/", views.trend, name="survey-trend"),
    path("<int:jurisdiction_id>/figures/new/", views.official_figure, name="survey-figure-new"),
    path("figures/<int:figure_id>/delete/", views.delete_figure, name="survey-figure-delete"),
    path("uploads/<int:upload_id>/", views.upload_preview, name="survey-upload-preview"),
    path("uploads/<int:upload_id>/status.json", views.upload_status, name="survey-upload-status"),
    path("uploads/<int:upload_id>/problems.csv", views.upload_problems, name="survey-upload-problems"),
    path("runs/<int:run_id>/", views.run_detail, name="survey-run"),
    path("runs/<int:run_id>/status.json", views.run_status, name="survey-run-status"),
    path("runs/<int:run_id>/export.xlsx", views.run_export, name="survey-run-xlsx"),
    path("runs/<int:run_id>/files/<str:kind>/", views.run_file, name="survey-run-file"),
    path("runs/<int:run_id>/record/", views.record_figure, name="survey-run-record"),
    path("runs/<int:run_id>/requeue/", views.requeue_run, name="survey-run-requeue"),
    path("runs/<int:run_id>/cancel/", views.cancel_run, name="survey-run-cancel"),
    path("runs/<int:run_id>/delete/", views.delete_run, name="survey-run-delete"),
]
