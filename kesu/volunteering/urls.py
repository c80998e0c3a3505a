from django.urls import path

from kesu.volunteering.views import bases, history, orders, public, registry, stats

urlpatterns = [
    # public, no account
    path("public/service/", public.public_index, name="public-service"),
    path("public/service/<int:jurisdiction_id>/order/", public.public_order, name="public-service-order"),
    path("public/service/track/", public.public_track, name="public-service-track"),
    path("public/service/track/<str:code>/", public.public_status, name="public-service-status"),
    path("public/service/track/<str:code>/<str:action>/", public.public_action, name="public-service-action"),
    # the order workflow
    path("service/", orders.home, name="service-home"),
    path("service/board/", orders.board, name="service-board"),
    path("service/orders/<int:order_id>/", orders.order_detail, name="service-order"),
    path("service/orders/<int:order_id>/move/<str:move>/", orders.order_move, name="service-order-move"),
    path("service/orders/<int:order_id>/record/", orders.order_record, name="service-order-record"),
    path("service/photos/<int:photo_id>/", orders.photo, name="service-photo"),
    path("service/settings/", orders.settings_view, name="service-settings"),
    path("service/roles/", orders.roles_view, name="service-roles"),
    path("service/history/", history.history, name="service-history"),
    # teams, volunteers, hours
    path("service/teams/", registry.teams, name="service-teams"),
    path("service/teams/new/", registry.team_edit, name="service-team-new"),
    path("service/teams/<int:team_id>/", registry.team_detail, name="service-team"),
    path("service/teams/<int:team_id>/edit/", registry.team_edit, name="service-team-edit"),
    path("service/teams/<int:team_id>/members/", registry.team_members, name="service-team-members"),
    path("service/teams/<int:team_id>/hours/", registry.team_hours, name="service-team-hours"),
    path("service/volunteers/", registry.volunteers, name="service-volunteers"),
    path("service/volunteers.xlsx", registry.volunteers_export, name="service-volunteers-xlsx"),
    path("service/volunteers-full.xlsx", registry.volunteers_export_full, name="service-volunteers-xlsx-full"),
    path("service/volunteers/new/", registry.volunteer_edit, name="service-volunteer-new"),
    path("service/volunteers/me/", registry.my_volunteer, name="service-volunteer-me"),
    path("service/volunteers/<int:volunteer_id>/", registry.volunteer_detail, name="service-volunteer"),
    path("service/volunteers/<int:volunteer_id>/edit/", registry.volunteer_edit, name="service-volunteer-edit"),
    path("service/volunteers/<int:volunteer_id>/reveal/", registry.volunteer_reveal, name="service-volunteer-reveal"),
    path("service/volunteers/<int:volunteer_id>/certificate.pdf", registry.volunteer_certificate,
         name="service-volunteer-certificate"),
    # bases, activities, imports
    path("service/bases/", bases.bases, name="service-bases"),
    path("service/bases/new/", bases.base_edit, name="service-base-new"),
    path("service/bases/<int:base_id>/", bases.base_edit, name="service-base"),
    path("service/activities/", bases.activities, name="service-activities"),
    path("service/import/<str:kind>/", bases.import_upload, name="service-import"),
    path("service/import/<str:kind>/template.xlsx", bases.import_template, name="service-import-template"),
    path("service/imports/<int:batch_id>/", bases.import_review, name="service-import-review"),
    # statistics and bound targets
    path("service/dashboard/", stats.dashboard, name="service-dashboard"),
    path("service/dashboard.xlsx", stats.dashboard_export, name="service-dashboard-xlsx"),
    path("service/plans/<int:plan_id>/bindings/", stats.bindings, name="service-bindings"),
    path("service/plans/<int:plan_id>/bindings/<int:target_id>/", stats.bind_target, name="service-bind-target"),
]
