"""Who may do what with campaign-rule compliance (merged into core.roles.PERMISSIONS)."""

from didban.core.roles import Role

PERMISSIONS = {
    # See the desk, the elections, rules and candidates.
    "compliance.view": frozenset(
        {Role.ADMIN, Role.SUPERVISOR, Role.EDITOR, Role.ANALYST, Role.VIEWER}
    ),
    # Edit elections, periods, rules, candidates and lists.
    "compliance.manage": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR}),
    # File a report as staff (the field agent's form and the field app's endpoint).
    "compliance.report": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR, Role.FIELD_AGENT}),
    # Work cases on the desk: take, categorise, verify, refer, resolve, dismiss.
    "compliance.triage": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR, Role.ANALYST}),
    # Take over a case held by someone else; see who reported it and how to reach a citizen.
    "compliance.supervise": frozenset({Role.ADMIN, Role.SUPERVISOR}),
}
