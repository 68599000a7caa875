from django.utils.translation import gettext_lazy as _

from didban.core.navigation import Area

AREAS = [
    Area("compliance:desk", _("Campaign violations"), "megaphone", "compliance.view"),
    Area("compliance:field_report", _("Report a violation"), "camera", "compliance.report"),
]
