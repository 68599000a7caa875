"""Who may see the command room, set its targets and receive its reports.

Every role that reads the organisation's work may watch the wall (`command.view`); targets are
the supervisor's and the administrator's; reports (generate, download, send) go to those who
answer for the figures: supervisors, administrators and analysts.
"""

from didban.core.roles import Role

PERMISSIONS = {
    "command.view": frozenset(
        {Role.ADMIN, Role.SUPERVISOR, Role.EDITOR, Role.ANALYST, Role.VIEWER}
    ),
    "command.targets": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "command.reports": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.ANALYST}),
}
