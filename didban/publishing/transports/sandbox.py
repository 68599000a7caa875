"""The sandbox: records what would be posted, shown as a channel preview (training, demo)."""

from __future__ import annotations

from django.utils import timezone

from didban.publishing.transports.base import Sent, Transport


def _media(step) -> list[dict]:
    return [{"kind": m.kind, "url": m.url, "name": m.name} for m in step.media]


class SandboxTransport(Transport):
    can_edit = True
    can_delete = True

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        from didban.publishing.models import SandboxPost

        post = SandboxPost.objects.create(
            channel=self.channel, delivery_id=delivery_id or None, method=step.method, text=step.text,
            media=_media(step),
        )  # fmt: skip
        return Sent([f"sandbox-{post.pk}"])

    def _posts(self, ids):
        from didban.publishing.models import SandboxPost

        pks = [int(i.split("-")[-1]) for i in ids if str(i).startswith("sandbox-")]
        return SandboxPost.objects.filter(channel=self.channel, pk__in=pks)

    def edit(self, step, plan, ids, *, delivery_id: int) -> None:
        self._posts(ids[:1]).update(text=step.text, edited_at=timezone.now())

    def delete(self, ids, *, delivery_id: int) -> None:
        self._posts(ids).update(deleted_at=timezone.now())
