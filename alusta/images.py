"""Content images sized for the web: dimensions, smaller variants and lazy loading.

A writer drops a 10 MB camera photo into `content/images/`; a reader on a phone should get
a 100 kB picture of the right width. Each raster image is measured and resized with Pillow
once per content hash: the variants and a small JSON record of them live in a cache folder
(var/images/), so a rebuild only copies files. The `<img>` tags of a post then get width
and height (no layout shift), `loading="lazy"` except the first one, `decoding="async"`,
a `srcset`/`sizes` of the variants, and a link to the untouched original. SVG stays as it
is: it has no pixels to resize.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

VARIANT_WIDTHS = (480, 960, 1600)
LARGE_IMAGE_BYTES = 5 * 1024 * 1024
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
VARIANT_FOLDER = "images/sized"
VARIANT_REFERENCE = re.compile(rf"{VARIANT_FOLDER}/([\w.-]+)")
WEBP_QUALITY = 80
HASH_CHARS = 20
# The text column is 42rem wide (theme/static/css/alusta.css, --measure) minus its padding.
SIZES = "(max-width: 42rem) calc(100vw - 2rem), 40rem"
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
LINK_OPEN = re.compile(r"<a\b", re.IGNORECASE)
LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


class ImageError(Exception):
    """An image file Pillow cannot read."""


@dataclass(frozen=True)
class Variant:
    """One resized copy: its file name in the variant folder and its pixel size."""

    name: str
    width: int
    height: int


@dataclass(frozen=True)
class SizedImage:
    """An original's pixel size and its resized variants, smallest first."""

    width: int
    height: int
    variants: tuple[Variant, ...]


def content_hash(path: Path) -> str:
    """The cache key of an image: its bytes, not its name (a renamed photo is not redone)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:HASH_CHARS]


def sized_image(path: Path, cache_dir: Path) -> SizedImage:
    """Size and variants of `path`, made once and then read from `cache_dir`."""
    digest = content_hash(path)
    record = cache_dir / f"{digest}.json"
    if record.is_file():
        data = json.loads(record.read_text(encoding="utf-8"))
        variants = tuple(Variant(**v) for v in data["variants"])
        if all((cache_dir / v.name).is_file() for v in variants):
            return SizedImage(data["width"], data["height"], variants)
    sized = _make_variants(path, digest, cache_dir)
    _write_atomic(record, json.dumps(asdict(sized)).encode())
    return sized


def _make_variants(path: Path, digest: str, cache_dir: Path) -> SizedImage:
    from PIL import Image, ImageOps, UnidentifiedImageError  # noqa: PLC0415 - builds only

    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)
            animated = getattr(opened, "is_animated", False)
            width, height = image.size
            variants = []
            cache_dir.mkdir(parents=True, exist_ok=True)
            for target in () if animated else VARIANT_WIDTHS:
                if target >= width:
                    break
                variant = Variant(f"{digest}-{target}.webp", target, round(height * target / width))
                resized = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
                temporary = cache_dir / f".{variant.name}.{os.getpid()}.tmp"
                resized.save(temporary, format="WEBP", quality=WEBP_QUALITY)
                temporary.replace(cache_dir / variant.name)
                variants.append(variant)
    except (OSError, UnidentifiedImageError) as error:
        raise ImageError(f"{path}: not an image Pillow can read ({error})") from error
    return SizedImage(width, height, tuple(variants))


def resize_square(content: bytes, size_px: int) -> bytes:
    """A square image (an avatar) scaled down to `size_px`, as PNG; small ones unchanged."""
    from io import BytesIO  # noqa: PLC0415

    from PIL import Image, ImageOps, UnidentifiedImageError  # noqa: PLC0415

    try:
        with Image.open(BytesIO(content)) as image:
            if max(image.size) <= size_px or getattr(image, "is_animated", False):
                return content
            fitted = ImageOps.fit(ImageOps.exif_transpose(image), (size_px, size_px))
            output = BytesIO()
            fitted.save(output, format="PNG", optimize=True)
            return output.getvalue()
    except (OSError, UnidentifiedImageError) as error:
        raise ImageError(f"not an image Pillow can read ({error})") from error


def publish_variants(sized: SizedImage, cache_dir: Path, output_dir: Path) -> None:
    """Copy the variants of one image into the site's output (skipped when already there)."""
    folder = output_dir / VARIANT_FOLDER
    for variant in sized.variants:
        target = folder / variant.name
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cache_dir / variant.name, target)


def variant_names(document: str) -> set[str]:
    """The variants a rewritten document shows (a build that reuses the document keeps them)."""
    return set(VARIANT_REFERENCE.findall(document))


def _write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    temporary.replace(path)


@dataclass(frozen=True)
class ImageContext:
    """What rewriting one document's images needs: where files are and where variants go."""

    resolve: Callable[[str], Path | None]  # an <img src> → the file it names, or None
    cache_dir: Path
    output_dir: Path
    variant_url: str  # public URL of VARIANT_FOLDER, without a trailing slash


def has_images(document: str) -> bool:
    """Whether `document` has any `<img>` (most posts have none: their rewrite is skipped)."""
    return IMG_TAG.search(document) is not None


def rewrite_images(document: str, context: ImageContext) -> str:
    """Every local raster `<img>` of `document` sized, lazy (but the first) and linked."""
    pieces, position, first = [], 0, True
    for match in IMG_TAG.finditer(document):
        pieces.append(document[position : match.start()])
        inside_link = _inside_link(document, match.start())
        pieces.append(_rewrite_tag(match[0], context, lazy=not first, link=not inside_link))
        position, first = match.end(), False
    pieces.append(document[position:])
    return "".join(pieces)


def _inside_link(document: str, index: int) -> bool:
    before = document[:index]
    return len(LINK_OPEN.findall(before)) > len(LINK_CLOSE.findall(before))


def _attributes(tag: str) -> dict[str, str | None]:
    inner = tag[4:].rstrip(">").rstrip("/")
    found: dict[str, str | None] = {}
    for match in ATTRIBUTE.finditer(inner):
        value = next((v for v in match.groups()[1:] if v is not None), None)
        found[match[1].lower()] = value
    return found


def _rewrite_tag(tag: str, context: ImageContext, *, lazy: bool, link: bool) -> str:
    attributes = _attributes(tag)
    src = html.unescape(attributes.get("src") or "")
    path = context.resolve(src)
    if path is None or path.suffix.lower() not in RASTER_SUFFIXES:
        return tag
    sized = sized_image(path, context.cache_dir)
    publish_variants(sized, context.cache_dir, context.output_dir)
    if "width" not in attributes and "height" not in attributes:
        attributes["width"], attributes["height"] = str(sized.width), str(sized.height)
    if lazy:
        attributes.setdefault("loading", "lazy")
    attributes.setdefault("decoding", "async")
    if sized.variants:
        urls = [f"{context.variant_url}/{v.name}" for v in sized.variants]
        attributes["src"] = html.escape(urls[-1])
        attributes["srcset"] = ", ".join(
            f"{html.escape(u)} {v.width}w" for u, v in zip(urls, sized.variants, strict=True)
        )
        attributes["sizes"] = SIZES
    rewritten = "<img " + " ".join(_attribute(k, v) for k, v in attributes.items()) + ">"
    if link and sized.variants:
        return f'<a class="image-full" href="{html.escape(src)}">{rewritten}</a>'
    return rewritten


def _attribute(name: str, value: str | None) -> str:
    return name if value is None else f'{name}="{value}"'


def large_image(path: Path) -> str:
    """Why a content image is too heavy to publish as it is, or "" when it is fine."""
    size = path.stat().st_size
    if size <= LARGE_IMAGE_BYTES:
        return ""
    return (
        f"{size / 1_048_576:.1f} MB is over {LARGE_IMAGE_BYTES // 1_048_576} MB; "
        "readers get resized copies, but the original link stays that heavy: shrink it"
    )
