from django.utils.translation import gettext_lazy as _

from didban.core.navigation import Area

AREAS = [Area("monitoring:overview", _("Monitoring"), "broadcast", "monitoring.view")]
