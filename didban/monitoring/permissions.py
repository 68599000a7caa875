"""Who may do what in media monitoring."""

from didban.core.roles import Role

R = Role

PERMISSIONS = {
    # Reading articles, stories, pickups and reports.
    "monitoring.view": frozenset(
        {R.ADMIN, R.SUPERVISOR, R.EDITOR, R.PRODUCER, R.ANALYST, R.VIEWER, R.PR_OFFICER}
    ),
    # Sources, outlets, topics and alert rules.
    "monitoring.manage": frozenset({R.ADMIN, R.SUPERVISOR, R.ANALYST}),
    # The filtering queue: confirm, dismiss, tone, importance, note.
    "monitoring.filter": frozenset({R.ADMIN, R.SUPERVISOR, R.ANALYST}),
}
