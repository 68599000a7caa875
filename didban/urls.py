from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from didban.accounts import views as accounts_views
from didban.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", accounts_views.DidbanLoginView.as_view(), name="login"),
    path("logout/", accounts_views.logout_view, name="logout"),
    path("language/", accounts_views.set_language, name="set_language"),
    path("acting/", accounts_views.switch_membership, name="switch_membership"),
    path("core/", include("didban.core.urls")),
    path("org/", include("didban.accounts.urls")),
    path("places/", include("didban.places.urls")),
    path("newsroom/", include("didban.newsroom.urls")),
    path("publishing/", include("didban.publishing.urls")),
    path("monitoring/", include("didban.monitoring.urls")),
    path("field/", include("didban.field.urls")),
    path("compliance/", include("didban.compliance.urls")),
    path("command/", include("didban.command.urls")),
    # The public site: no login (see the allow-list test of every URL).
    path("news/", include("didban.portal.urls")),
    path("api/v1/", include("didban.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", core_views.api_docs, name="api-docs"),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
