from didban.core.roles import Role

PERMISSIONS = {
    # See channels, deliveries and the sandbox previews.
    "publishing.view": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.EDITOR, Role.PRODUCER}),
    # Send, retry and reconcile deliveries (producers cannot publish).
    "publishing.deliver": frozenset({Role.ADMIN, Role.EDITOR}),
    # Create and edit channels and their secrets.
    "publishing.channels": frozenset({Role.ADMIN, Role.EDITOR}),
}
