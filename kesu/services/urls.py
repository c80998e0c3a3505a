from django.urls import path

from kesu.services import bases_views, history_views, public, registry_views, stats_views, views

urlpatterns = [
    # public, no account
    path("public/service/", public.public_index, name="public-service"),
    path("public/service/<int:jurisdiction_id>/order/", public.public_order, name="public-service-order"),
    path("public/service/track/", public.public_track, name="public-service-track"),
    path("public/service/track/<str:code>/", public.public_status, name="public-service-status"),
    path("public/service/track/<str:code>/<str:action>/", public.public_action, name="public-service-action"),
    # the order workflow
    path("service/", views.home, name="service-home"),
    path("service/board/", views.board, name="service-board"),
    path("service/orders/<int:order_id>/", views.order_detail, name="service-order"),
    path("service/orders/<int:order_id>/move/<str:move>/", views.order_move, name="service-order-move"),
    path("service/orders/<int:order_id>/record/", views.order_record, name="service-order-record"),
    path("service/photos/<int:photo_id>/", views.photo, name="service-photo"),
    path("service/settings/", views.settings_view, name="service-settings"),
    path("service/roles/", views.roles_view, name="service-roles"),
    path("service/history/", history_views.history, name="service-history"),
    # teams, volunteers, hours
    path("service/teams/", registry_views.teams, name="service-teams"),
    path("service/teams/new/", registry_views.team_edit, name="service-team-new"),
    path("service/teams/<int:team_id>/", registry_views.team_detail, name="service-team"),
    path("service/teams/<int:team_id>/edit/", registry_views.team_edit, name="service-team-edit"),
    path("service/teams/<int:team_id>/members/", registry_views.team_members, name="service-team-members"),
    path("service/teams/<int:team_id>/hours/", registry_views.team_hours, name="service-team-hours"),
    path("service/volunteers/", registry_views.volunteers, name="service-volunteers"),
    path("service/volunteers.xlsx", registry_views.volunteers_export, name="service-volunteers-xlsx"),
    path("service/volunteers/new/", registry_views.volunteer_edit, name="service-volunteer-new"),
    path("service/volunteers/me/", registry_views.my_volunteer, name="service-volunteer-me"),
    path("service/volunteers/<int:volunteer_id>/", registry_views.volunteer_detail, name="service-volunteer"),
    path("service/volunteers/<int:volunteer_id>/edit/", registry_views.volunteer_edit, name="service-volunteer-edit"),
    path("service/volunteers/<int:volunteer_id>/certificate.pdf", registry_views.volunteer_certificate,
         name="service-volunteer-certificate"),
    # bases, activities, imports
    path("service/bases/", bases_views.bases, name="service-bases"),
    path("service/bases/new/", bases_views.base_edit, name="service-base-new"),
    path("service/bases/<int:base_id>/", bases_views.base_edit, name="service-base"),
    path("service/activities/", bases_views.activities, name="service-activities"),
    path("service/import/<str:kind>/", bases_views.import_upload, name="service-import"),
    path("service/import/<str:kind>/template.xlsx", bases_views.import_template, name="service-import-template"),
    path("service/imports/<int:batch_id>/", bases_views.import_review, name="service-import-review"),
    # statistics and bound targets
    path("service/dashboard/", stats_views.dashboard, name="service-dashboard"),
    path("service/dashboard.xlsx", stats_views.dashboard_export, name="service-dashboard-xlsx"),
    path("service/plans/<int:plan_id>/bindings/", stats_views.bindings, name="service-bindings"),
    path("service/plans/<int:plan_id>/bindings/<int:target_id>/", stats_views.bind_target, name="service-bind-target"),
]
