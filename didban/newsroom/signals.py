"""The hand-off to publishing.

Sent by the newsroom actions after their transaction commits (`transaction.on_commit`), with
`sender=Item` and `item_id=<pk>`. `didban.publishing` connects receivers that create the
deliveries (one per item × channel). A receiver must be quick (enqueue a task) and idempotent:
a signal may be sent again for the same state (e.g. a scheduled publish run twice is refused by
the action, but a receiver should still not double-post).

- item_published(sender=Item, item_id)   the item became public (published now or on schedule)
- item_corrected(sender=Item, item_id)   a public item's text changed (edit on every channel)
- item_retracted(sender=Item, item_id)   a public item was withdrawn (delete where possible)
"""

from django.dispatch import Signal

item_published = Signal()
item_corrected = Signal()
item_retracted = Signal()
