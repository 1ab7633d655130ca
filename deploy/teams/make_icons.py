"""Draw Boundary's Teams icons as PNG files with the standard library only (no Pillow).

    python deploy/teams/make_icons.py

color.png: 192x192, a white open square (a boundary) on the accent colour, full bleed.
outline.png: 32x32, the same shape in white on a transparent background, as Teams requires.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ACCENT = (0x2E, 0x6F, 0x73, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)


def png(width: int, height: int, pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"".join(bytes(pixel) for pixel in row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def open_square(
    size: int, margin: int, stroke: int, gap: int, ink: tuple[int, ...], ground: tuple[int, ...]
) -> bytes:
    """A square outline with a gap in its top edge: a boundary with a way through."""
    rows = []
    low, high = margin, size - margin - 1
    middle = size // 2
    for y in range(size):
        row = []
        for x in range(size):
            inside = low <= x <= high and low <= y <= high
            on_edge = inside and (
                x < low + stroke or x > high - stroke or y < low + stroke or y > high - stroke
            )
            in_gap = y < low + stroke and abs(x - middle) < gap
            row.append(ink if on_edge and not in_gap else ground)
        rows.append(row)
    return png(size, size, rows)  # type: ignore[arg-type]


def main() -> None:
    here = Path(__file__).parent
    (here / "color.png").write_bytes(open_square(192, 44, 14, 20, WHITE, ACCENT))
    (here / "outline.png").write_bytes(open_square(32, 4, 3, 4, WHITE, CLEAR))


if __name__ == "__main__":
    main()
