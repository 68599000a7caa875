"""The v1 router: every app's endpoints, under /api/v1/."""

from django.urls import include, path

from didban.accounts import api as accounts_api
from didban.api import views
from didban.places import api as places_api

app_name = "api"

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="me"),
    path("tokens/", views.TokenListApi.as_view(), name="token_list"),
    path("tokens/issue/", views.TokenIssueApi.as_view(), name="token_issue"),
    path("tokens/<int:token_id>/revoke/", views.TokenRevokeApi.as_view(), name="token_revoke"),
    path("organizations/", accounts_api.OrganizationListApi.as_view(), name="organization_list"),
    path(
        "organizations/create/",
        accounts_api.OrganizationCreateApi.as_view(),
        name="organization_create",
    ),
    path(
        "organizations/<int:org_id>/",
        accounts_api.OrganizationDetailApi.as_view(),
        name="organization_detail",
    ),
    path("places/", places_api.PlaceListApi.as_view(), name="place_list"),
    path("places/<int:place_id>/", places_api.PlaceDetailApi.as_view(), name="place_detail"),
    # Each domain app's endpoints, in its own api_urls.py.
    path("", include("didban.newsroom.api_urls")),
    path("", include("didban.publishing.api_urls")),
    path("", include("didban.portal.api_urls")),
    path("", include("didban.monitoring.api_urls")),
    path("", include("didban.field.api_urls")),
    path("", include("didban.compliance.api_urls")),
    path("", include("didban.command.api_urls")),
    path("", include("didban.core.api_urls")),
]
