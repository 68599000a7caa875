"""The organisation's own website: the portal shows every public item by itself.

"Sent" means the item's public page is live; its URL is the external id. A correction shows
on the page at once; a retraction takes the page down (the portal's concern).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from didban.publishing.transports.base import Permanent, Sent, Transport


class WebsiteTransport(Transport):
    can_edit = True
    can_delete = True

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        url = step.payload.get("url", "")
        if not step.payload.get("public", True):
            raise Permanent(_("The item is not public, so its page is not live."))
        return Sent([url], url=url)

    def edit(self, step, plan, ids, *, delivery_id: int) -> None:
        return None

    def delete(self, ids, *, delivery_id: int) -> None:
        return None
