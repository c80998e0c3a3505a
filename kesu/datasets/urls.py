from django.urls import path

from kesu.datasets import views

urlpatterns = [
    path("jurisdictions/<int:jurisdiction_id>/datasets/", views.round_list, name="datasets-list"),
    path("jurisdictions/<int:jurisdiction_id>/datasets/new/", views.round_new, name="datasets-round-new"),
    path("jurisdictions/<int:jurisdiction_id>/datasets/rollup/", views.rollup_page, name="datasets-rollup"),
    path("jurisdictions/<int:jurisdiction_id>/datasets/rollup.xlsx", views.rollup_export, name="datasets-rollup-export"),
    path("jurisdictions/<int:jurisdiction_id>/schools/", views.school_list, name="datasets-schools"),
    path("jurisdictions/<int:jurisdiction_id>/schools/sample.xlsx", views.school_sample, name="datasets-school-sample"),
    path("datasets/mine/", views.mine, name="datasets-mine"),
    path("datasets/rounds/<int:round_id>/", views.round_detail, name="datasets-round"),
    path("datasets/rounds/<int:round_id>/assign/", views.round_assign, name="datasets-assign"),
    path("datasets/rounds/<int:round_id>/remind/", views.round_remind, name="datasets-remind"),
    path("datasets/rounds/<int:round_id>/export.xlsx", views.round_export, name="datasets-round-export"),
    path("datasets/submissions/<int:submission_id>/", views.submission_detail, name="datasets-submission"),
    path("datasets/school-imports/<int:import_id>/", views.school_import, name="datasets-school-import"),
    path("datasets/plans/<int:plan_id>/bindings/", views.bindings, name="datasets-bindings"),
    path("datasets/targets/<int:target_id>/binding/", views.binding_save, name="datasets-binding-save"),
]
