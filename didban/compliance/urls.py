from django.urls import path

from didban.compliance import views

app_name = "compliance"

# URL names anyone may open without logging in (the allow-list of the every-URL login test).
PUBLIC_URL_NAMES: list[str] = [
    "compliance:rules_index",
    "compliance:rules_public",
    "compliance:report_public",
    "compliance:report_public_done",
    "compliance:captcha",
    "compliance:status",
    "compliance:status_detail",
]

urlpatterns = [
    path("", views.desk, name="desk"),
    path("violations/<int:violation_id>/", views.violation_detail, name="violation_detail"),
    path("violations/<int:violation_id>/act/", views.violation_act, name="violation_act"),
    path("report/", views.field_report, name="field_report"),
    path("elections/", views.election_list, name="election_list"),
    path("elections/<int:election_id>/", views.election_detail, name="election_detail"),
    # Public: no login.
    path("rules/", views.rules_index, name="rules_index"),
    path("rules/<slug:slug>/", views.rules_public, name="rules_public"),
    path("report-public/", views.report_public, name="report_public"),
    path("report-public/done/", views.report_public_done, name="report_public_done"),
    path("captcha.png", views.captcha_image, name="captcha"),
    path("status/", views.status_lookup, name="status"),
    path("status/<str:code>/", views.status_detail, name="status_detail"),
]
