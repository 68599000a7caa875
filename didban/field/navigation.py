from django.utils.translation import gettext_lazy as _

from didban.core.navigation import Area

AREAS = [
    Area("field:window_list", _("Display campaigns"), "easel", "field.view"),
    Area("field:app", _("Field app"), "phone", "field.checkin"),
]
