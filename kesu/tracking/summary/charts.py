"""Charts as PNG images for the documents (Pillow). Chinese labels need a CJK font on the machine
(Debian: fonts-noto-cjk); without one, bars are numbered and the document lists what each number means.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

KNOWN_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
COLORS = {"completed": (47, 158, 91), "in_progress": (110, 168, 222), "behind": (217, 83, 79), "not_started": (197, 206, 216)}
BRAND = (29, 79, 145)


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    for path in KNOWN_FONTS:
        if Path(path).exists():
            return path
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True, check=False)
        if found.stdout and Path(found.stdout).exists():
            return found.stdout
    return None


def _font(size: int) -> ImageFont.ImageFont:
    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def has_cjk_font() -> bool:
    return cjk_font_path() is not None


def _labels(labels: list[str]) -> list[str]:
    return labels if has_cjk_font() else [str(i) for i in range(1, len(labels) + 1)]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def stacked_bars(labels: list[str], parts: list[list[tuple[str, float]]], legend: dict[str, str]) -> bytes:
    """Horizontal 100% bars, one per label; parts are (key, share) with shares summing to 1."""
    width, row, left, top = 1400, 54, 460, 70
    image = Image.new("RGB", (width, top + row * len(labels) + 40), "white")
    draw = ImageDraw.Draw(image)
    font, small = _font(26), _font(22)
    x = left
    for key, label in legend.items():
        draw.rectangle([x, 20, x + 24, 44], fill=COLORS[key])
        draw.text((x + 32, 18), label if has_cjk_font() else key, fill="black", font=small)
        x += 200
    bar_width = width - left - 40
    for i, (label, shares) in enumerate(zip(_labels(labels), parts, strict=True)):
        y = top + i * row
        draw.text((20, y + 10), label[:16], fill="black", font=font)
        x = left
        for key, share in shares:
            w = round(bar_width * share)
            if w:
                draw.rectangle([x, y + 8, x + w, y + row - 8], fill=COLORS[key])
            x += w
    return _png(image)


def percent_bars(labels: list[str], values: list[float]) -> bytes:
    """Horizontal bars of a share (0–1, capped at 120%) with the percentage written at the end."""
    width, row, left, top = 1400, 50, 560, 20
    image = Image.new("RGB", (width, top + row * len(labels) + 30), "white")
    draw = ImageDraw.Draw(image)
    font = _font(24)
    bar_width = width - left - 160
    full = left + bar_width / 1.2
    for i, (label, value) in enumerate(zip(_labels(labels), values, strict=True)):
        y = top + i * row
        draw.text((20, y + 8), label[:20], fill="black", font=font)
        w = round(bar_width * min(value, 1.2) / 1.2)
        draw.rectangle([left, y + 8, left + max(w, 1), y + row - 8], fill=BRAND)
        draw.text((left + w + 10, y + 8), f"{value * 100:.0f}%", fill="black", font=font)
    draw.line([full, top, full, top + row * len(labels)], fill=(180, 40, 40), width=2)
    return _png(image)
