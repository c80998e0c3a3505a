from django.urls import path

from kesu.funding import views

urlpatterns = [
    path("jurisdictions/<int:jurisdiction_id>/funding/", views.funding_year, name="funding-year"),
    path("jurisdictions/<int:jurisdiction_id>/funding/edit/", views.funding_edit, name="funding-edit"),
    path("jurisdictions/<int:jurisdiction_id>/funding/lines/", views.funding_lines, name="funding-lines"),
    path("jurisdictions/<int:jurisdiction_id>/funding/lines.xlsx", views.funding_lines_xlsx, name="funding-lines-xlsx"),
    path("jurisdictions/<int:jurisdiction_id>/funding/import/", views.funding_import, name="funding-import"),
    path("jurisdictions/<int:jurisdiction_id>/funding/sample.xlsx", views.funding_sample, name="funding-sample"),
    path("jurisdictions/<int:jurisdiction_id>/funding/statistics.xlsx", views.funding_statistics_xlsx, name="funding-statistics"),
    path("jurisdictions/<int:jurisdiction_id>/funding/areas/", views.funding_areas, name="funding-areas"),
    path("jurisdictions/<int:jurisdiction_id>/funding/units/", views.funding_units, name="funding-units"),
    path("funding/lines/<int:line_id>/", views.funding_line, name="funding-line"),
    path("funding/files/<int:file_id>/", views.funding_file, name="funding-file"),
]
