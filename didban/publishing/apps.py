from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "didban.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from didban.newsroom import signals
        from didban.publishing import receivers

        signals.item_published.connect(
            receivers.on_item_published, dispatch_uid="publishing.published"
        )
        signals.item_corrected.connect(
            receivers.on_item_corrected, dispatch_uid="publishing.corrected"
        )
        signals.item_retracted.connect(
            receivers.on_item_retracted, dispatch_uid="publishing.retracted"
        )
