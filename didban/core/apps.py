from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "didban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from didban.core import navigation, roles
        from didban.core.hooks import app_modules

        # Periodic jobs register themselves when their tasks module is imported.
        app_modules("tasks")
        for module in app_modules("permissions"):
            roles.PERMISSIONS.update(module.PERMISSIONS)
        for module in app_modules("navigation"):
            if module is not navigation:
                navigation.AREAS.extend(module.AREAS)
        from didban.accounts import signals  # noqa: F401
