from django.utils.translation import gettext_lazy as _

from didban.core.navigation import Area

AREAS = [
    Area("newsroom:item_list", _("Newsroom"), "newspaper", "newsroom.view"),
    Area("newsroom:calendar", _("Calendar"), "calendar3", "newsroom.view"),
]
