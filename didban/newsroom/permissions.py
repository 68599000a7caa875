"""Who may do what in the newsroom (a role reaches its organisation's whole subtree).

Producers (and PR officers of units) draft and submit; editors approve, publish, schedule,
correct and retract; supervisors and viewers read everything in their subtree.
"""

from didban.core.roles import ALL, Role

PERMISSIONS = {
    "newsroom.view": ALL,
    "newsroom.edit": frozenset({Role.EDITOR, Role.PRODUCER, Role.PR_OFFICER}),
    "newsroom.comment": frozenset({Role.EDITOR, Role.PRODUCER, Role.PR_OFFICER, Role.SUPERVISOR}),
    "newsroom.approve": frozenset({Role.EDITOR}),
    "newsroom.publish": frozenset({Role.EDITOR}),
    "newsroom.plan": frozenset({Role.EDITOR, Role.SUPERVISOR}),
}
