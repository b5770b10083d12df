"""alusta_images: every local `<img>` of a post or page sized for the web (alusta.images).

Settings: ALUSTA_IMAGES = {"cache_dir": var/images}, set by alusta.pelican_conf. Variants go
to OUTPUT_PATH/images/sized/; the original stays where `{static}` put it, linked for the
full size. An image Pillow cannot read is left as written and named in a warning.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from alusta.images import ImageContext, ImageError, has_images, large_image, rewrite_images

log = logging.getLogger(__name__)
STATIC_PREFIXES = ("{static}", "{attach}", "|static|", "|attach|")


def _resolver(content_dir: Path, source: Path):
    """Maps `{static}/images/x.jpg` (or relative to the post) to the file, inside the site."""
    root = content_dir.resolve()

    def resolve(src: str) -> Path | None:
        prefix = next((p for p in STATIC_PREFIXES if src.startswith(p)), None)
        if prefix is None:
            return None
        path = src[len(prefix) :].split("#", 1)[0].split("?", 1)[0]
        file = (root / path.lstrip("/")) if path.startswith("/") else source.parent / path
        file = file.resolve()
        return file if file.is_relative_to(root) and file.is_file() else None

    return resolve


def size_images(instance) -> None:
    """Rewrite the `<img>` tags of one article or page before Pelican fills in links."""
    settings = instance.settings
    options = settings.get("ALUSTA_IMAGES") or {}
    content = getattr(instance, "_content", None)
    if not options.get("cache_dir") or not content or not has_images(content):
        return
    resolve = _resolver(Path(settings["PATH"]), Path(instance.source_path))
    context = ImageContext(
        resolve=_warn_large(resolve, instance.source_path),
        cache_dir=Path(options["cache_dir"]),
        output_dir=Path(settings["OUTPUT_PATH"]),
        variant_url=f"{settings['SITEURL']}/images/sized",
    )
    try:
        instance._content = rewrite_images(content, context)
    except ImageError as error:
        log.warning(
            "alusta_images: %s (in %s); images left as written", error, instance.source_path
        )


def _warn_large(resolve, source_path: str):
    def checked(src: str) -> Path | None:
        path = resolve(src)
        reason = large_image(path) if path else ""
        if reason:
            log.warning("alusta_images: %s in %s: %s", path.name, source_path, reason)
        return path

    return checked


def register() -> None:
    signals.content_object_init.connect(size_images)
