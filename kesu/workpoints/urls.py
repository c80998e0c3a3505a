from django.urls import path

from kesu.workpoints import views

urlpatterns = [
    path("plans/<int:plan_id>/workpoints/", views.current_year, name="workpoints-current"),
    path("plans/<int:plan_id>/workpoints/<int:year>/", views.year_page, name="workpoints-year"),
    path("plans/<int:plan_id>/workpoints/<int:year>/points.xlsx", views.export_year, name="workpoints-xlsx"),
    path("plans/<int:plan_id>/workpoints/<int:year>/import/", views.import_upload, name="workpoints-import"),
    path("plans/<int:plan_id>/workpoints/<int:year>/new/", views.point_new, name="workpoints-new"),
    path("workpoints/staged/<int:staged_id>/", views.import_confirm, name="workpoints-confirm"),
    path("workpoints/<int:point_id>/", views.point_detail, name="workpoints-point"),
    path("workpoints/<int:point_id>/remove/", views.point_remove, name="workpoints-remove"),
]
