from django.utils.translation import gettext_lazy as _

from didban.core.navigation import Area

AREAS = [Area("command:screen", _("Command room"), "display", "command.view")]
