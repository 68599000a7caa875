from django.utils.translation import gettext_lazy as _

from didban.core.navigation import Area

AREAS = [Area("publishing:delivery_queue", _("Publishing"), "send", "publishing.view")]
