from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "didban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every Didban app's tasks module registers its periodic jobs on import.
        for config in apps.get_app_configs():
            if config.name.startswith("didban."):
                try:
                    import_module(f"{config.name}.tasks")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.tasks":
                        raise
        from didban.accounts import signals  # noqa: F401
