"""Who may do what with display campaigns."""

from didban.core.roles import Role

PERMISSIONS = {
    # See designs, sites, windows, placements and coverage.
    "field.view": frozenset(
        {
            Role.ADMIN,
            Role.SUPERVISOR,
            Role.EDITOR,
            Role.PRODUCER,
            Role.ANALYST,
            Role.FIELD_AGENT,
            Role.VIEWER,
        }
    ),
    # Upload designs and new versions.
    "field.design": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR, Role.PRODUCER}),
    # Approve or reject designs, share them with the province.
    "field.approve": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR}),
    # Sites, their import, windows and placements.
    "field.manage": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR}),
    # Check in at a placement (the field agent's work).
    "field.checkin": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.FIELD_AGENT}),
}
