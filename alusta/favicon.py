"""Each site's favicon: its first letter on its accent colour, as SVG and PNG.

Browsers ask for /favicon.ico when a page names no icon (Lighthouse reports the 404 as a
console error), and a tab or a phone's home screen is where a pilot's colour is seen most.
Modern browsers take the SVG; the PNGs serve the rest and Apple's home screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alusta.colour import text_on

SVG_NAME = "favicon.svg"
PNG_SIZES_PX = {"favicon.png": 32, "apple-touch-icon.png": 180}
CORNER_SHARE = 0.22  # rounded corners, as a share of the side
LETTER_SHARE = 0.62  # letter height as a share of the side


@dataclass(frozen=True)
class Favicon:
    """The letter and colours of one site's icon."""

    letter: str
    background: str  # "#rrggbb"

    @classmethod
    def for_site(cls, title: str, accent: str) -> Favicon:
        letter = next((c for c in title if c.isalnum()), "A").upper()
        return cls(letter=letter, background=accent)

    @property
    def foreground(self) -> str:
        return text_on(self.background)

    def svg(self) -> str:
        """A 64×64 SVG; the letter in the system sans-serif (no font file to fetch)."""
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            f'<rect width="64" height="64" rx="{64 * CORNER_SHARE:.0f}" fill="{self.background}"/>'
            f'<text x="32" y="33" text-anchor="middle" dominant-baseline="central" '
            f'font-family="system-ui, sans-serif" font-weight="700" '
            f'font-size="{64 * LETTER_SHARE:.0f}" '
            f'fill="{self.foreground}">{_escape(self.letter)}</text></svg>\n'
        )

    def png(self, size: int) -> bytes:
        """A square PNG of `size` pixels, drawn with Pillow's built-in font."""
        from io import BytesIO  # noqa: PLC0415 - only the build draws icons

        from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415

        image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle(
            (0, 0, size - 1, size - 1), radius=round(size * CORNER_SHARE), fill=self.background
        )
        font = ImageFont.load_default(size=round(size * LETTER_SHARE))
        draw.text((size / 2, size / 2), self.letter, fill=self.foreground, font=font, anchor="mm")
        buffer = BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_favicons(output: Path, icon: Favicon) -> list[Path]:
    """Write the SVG and every PNG size into a site's output folder."""
    output.mkdir(parents=True, exist_ok=True)
    written = [output / SVG_NAME]
    written[0].write_text(icon.svg(), encoding="utf-8")
    for name, size in PNG_SIZES_PX.items():
        (output / name).write_bytes(icon.png(size))
        written.append(output / name)
    return written
