from django.urls import path

from kesu.accounts import views

urlpatterns = [
    path("me/", views.me, name="accounts-me"),
    path("password/", views.password_change, name="accounts-password"),
    path("manage/", views.manage, name="accounts-manage"),
    path("manage/new/", views.new_account, name="accounts-new"),
    path("manage/import/", views.import_upload, name="accounts-import"),
    path("manage/import/template/", views.import_template, name="accounts-import-template"),
    path("manage/import/<int:batch_id>/", views.import_review, name="accounts-import-review"),
    path("manage/history/", views.history, name="accounts-history"),
    path("manage/units/", views.units, name="accounts-units"),
    path("manage/<int:user_id>/", views.account, name="accounts-account"),
    path("manage/<int:user_id>/deactivate/", views.deactivate, name="accounts-deactivate"),
    path("manage/<int:user_id>/reactivate/", views.reactivate, name="accounts-reactivate"),
    path("manage/<int:user_id>/reset-password/", views.reset_password, name="accounts-reset-password"),
    path("manage/<int:user_id>/unlock/", views.unlock, name="accounts-unlock"),
    path("manage/<int:user_id>/roles/", views.grant, name="accounts-grant"),
    path("manage/<int:user_id>/roles/<int:membership_id>/revoke/", views.revoke, name="accounts-revoke"),
    path("jurisdictions/new/", views.new_jurisdiction, name="accounts-jurisdiction-new"),
]
