from django.urls import path

from didban.field import views

app_name = "field"

urlpatterns = [
    path("", views.window_list, name="window_list"),
    path("windows/new/", views.window_create, name="window_create"),
    path("windows/<int:window_id>/", views.window_board, name="window_board"),
    path("windows/<int:window_id>/place/", views.window_place, name="window_place"),
    path("windows/<int:window_id>/plan/", views.window_plan, name="window_plan"),
    path("windows/<int:window_id>/coverage/", views.window_coverage, name="window_coverage"),
    path("placements/", views.placement_list, name="placement_list"),
    path("checkins/", views.checkin_list, name="checkin_list"),
    path("placements/<int:placement_id>/", views.placement_detail, name="placement_detail"),
    path("checkins/<int:checkin_id>/photo/", views.checkin_photo, name="checkin_photo"),
    path("designs/", views.design_list, name="design_list"),
    path("designs/new/", views.design_create, name="design_create"),
    path("designs/<int:design_id>/", views.design_detail, name="design_detail"),
    path("designs/<int:design_id>/version/", views.design_version, name="design_version"),
    path("designs/<int:design_id>/review/", views.design_review, name="design_review"),
    path("designs/<int:design_id>/share/", views.design_share, name="design_share"),
    path("designs/<int:design_id>/occasion/", views.design_occasion, name="design_occasion"),
    path("designs/<int:design_id>/v<int:number>/", views.design_file, name="design_file"),
    path(
        "designs/<int:design_id>/v<int:number>/thumb/",
        views.design_file,
        {"kind": "thumb"},
        name="design_thumb",
    ),
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/import/", views.site_import, name="site_import"),
    path("sites/import/<int:import_id>/", views.site_import_report, name="site_import_report"),
    path("sites/<int:site_id>/", views.site_detail, name="site_detail"),
    path("sites/<int:site_id>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:site_id>/photo/", views.site_photo, name="site_photo"),
    path("tasks/", views.task_list, name="task_list"),
    path("app/", views.field_app, name="app"),
    path("app/csrf/", views.app_csrf, name="app_csrf"),
    path("app/sw.js", views.service_worker, name="app_sw"),
    path("app/manifest.webmanifest", views.manifest, name="app_manifest"),
]
