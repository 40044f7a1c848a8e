"""Contact sheets: every Nth frame of an animation tiled on one PNG, each under its frame number.

A baseline of frame hashes says nothing a person can look at; its contact sheet,
written beside it, shows in one picture what the hashes pin down. Frames are shrunk
(never enlarged) to at most ``THUMB_WIDTH`` pixels wide, ``COLUMNS`` to a row, at
most ``MOST`` of them: frame 0, every Nth after it, and always the last.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

MOST = 24
COLUMNS = 6
THUMB_WIDTH = 240
GAP = 8  # pixels between tiles and around the sheet
LABEL_SIZE = 14  # font size of the frame numbers, in pixels
BACKGROUND = (255, 255, 255)
INK = (40, 40, 40)


def chosen_frames(n_frames: int, most: int = MOST) -> list[int]:
    """Frame 0, every Nth frame (N = ceil(n / most)), and the last; at most ``most`` + 1."""
    every = max(1, math.ceil(n_frames / most))
    picked = list(range(0, n_frames, every))
    if picked[-1] != n_frames - 1:
        picked.append(n_frames - 1)
    return picked


def contact_sheet(frames: dict[int, np.ndarray]) -> np.ndarray:
    """The (H, W, 3) uint8 sheet of ``frames`` (frame number -> RGB or RGBA array), in number order."""
    numbers = sorted(frames)
    height, width = next(iter(frames.values())).shape[:2]
    scale = min(1.0, THUMB_WIDTH / width)
    tile_w, tile_h = max(1, round(width * scale)), max(1, round(height * scale))
    columns = min(COLUMNS, len(numbers))
    rows = math.ceil(len(numbers) / columns)
    label_h = LABEL_SIZE + 6
    sheet = Image.new("RGB", (GAP + columns * (tile_w + GAP), GAP + rows * (tile_h + label_h + GAP)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = _font()
    for slot, number in enumerate(numbers):
        row, column = divmod(slot, columns)
        x, y = GAP + column * (tile_w + GAP), GAP + row * (tile_h + label_h + GAP)
        tile = Image.fromarray(np.ascontiguousarray(frames[number][..., :3])).resize((tile_w, tile_h), Image.LANCZOS)
        sheet.paste(tile, (x, y))
        draw.rectangle((x - 1, y - 1, x + tile_w, y + tile_h), outline=(200, 200, 200))
        draw.text((x, y + tile_h + 3), f"frame {number}", fill=INK, font=font)
    return np.asarray(sheet)


def write_contact_sheet(target: Path, frame_files: list[Path]) -> Path:
    """The sheet of a directory's ``frame_00000.png``... files, written atomically to ``target``."""
    from .output.atomic import atomic_path

    frames = {}
    for number in chosen_frames(len(frame_files)):
        with Image.open(frame_files[number]) as image:
            frames[number] = np.asarray(image.convert("RGB"))
    with atomic_path(target) as temp:
        Image.fromarray(contact_sheet(frames)).save(temp, format="PNG")
    return Path(target)


def _font():
    """DejaVu Sans from matplotlib's own fonts (always installed beside gdanim), else Pillow's default."""
    try:
        import matplotlib

        return ImageFont.truetype(str(Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")), LABEL_SIZE)
    except OSError:
        return ImageFont.load_default()
