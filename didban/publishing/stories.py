"""The item, reduced to what channels need (the only place that reads newsroom models)."""

from __future__ import annotations

from pathlib import PurePosixPath

from didban.publishing.formatting import Media, Story, html_to_text
from didban.publishing.transports.http import guess_type

MEDIA_KIND = {"image": "photo", "video": "video", "audio": "audio", "pdf": "document"}


def story_for(item) -> Story:
    media = []
    for link in item.item_assets.select_related("asset").order_by("position", "pk"):
        asset = link.asset
        stored = asset.public_storage_file
        if not stored:
            continue
        name, content_type = asset.original_name, asset.mime
        if stored.name != asset.file.name:
            # The EXIF-free rendition may be re-encoded: its own extension and type.
            extension = PurePosixPath(stored.name).suffix
            name = PurePosixPath(asset.original_name).stem + extension
            content_type = guess_type(name, asset.mime)
        media.append(
            Media(
                kind=MEDIA_KIND.get(asset.kind, "document"),
                path=stored.name,
                name=name,
                content_type=content_type,
                url=asset.public_url(),
            )
        )
    body_text = getattr(item, "body_text", "") or html_to_text(item.body)
    return Story(
        item_id=item.pk,
        news_code=item.news_code,
        kind_label=str(item.get_kind_display()),
        title=item.title,
        lead=item.lead,
        body_text=body_text,
        url=item.public_url(),
        media=tuple(media),
        correction_note=item.correction_note if item.corrected_at else "",
    )
