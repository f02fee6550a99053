"""Painting a scene with Skia: PNG (own minimal encoder) and PDF (fonts embedded as subsets, text stays text)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

import numpy as np
from zlib_ng import zlib_ng

from ... import style
from ._skia import skia
from .scene import Area, Dot, Item, Line, Panel, Scene, Text
from .text import font

#: PDF pages are in points; a 1920 px slide becomes a 19.2 in (1382 pt) page, as at 100 dpi.
PDF_POINTS_PER_PX = 0.72


def color(hex_color: str, opacity: float = 1.0) -> int:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return skia.Color(r, g, b, round(255 * opacity))


def item_path(scene: Scene, item: Area | Line) -> skia.Path:
    """*item*'s Skia path, built once per scene (kept in ``scene.paths``): building a path costs more than
    drawing it, and PNG and PDF paint the same scene. Its points are on a quarter-pixel grid."""
    path = scene.paths.get(id(item))
    if path is None:
        rings = item.rings if isinstance(item, Area) else [item.points]
        path = scene.paths[id(item)] = skia_path([quarter_pixels(r) for r in rings], closed=isinstance(item, Area))
    return path


def skia_path(rings: Iterable[np.ndarray], closed: bool) -> skia.Path:
    """Polylines (or, *closed*, rings filled even-odd) as one Skia path.

    Read from Skia's own serialised form (version 5: a header, float32 points, one verb byte per point and
    close), written with numpy: 60x faster than adding the points one Python object at a time, which is what
    :func:`slow_skia_path` does and where a Skia that reads the form differently falls back to."""
    rings = [r for r in rings if len(r)]
    path = skia.Path()
    if rings and SERIAL_FORM_READ:
        data = serial_form(rings, closed)
        if path.readFromMemory(data) == len(data):
            return path
    return slow_skia_path(rings, closed)


def quarter_pixels(points: np.ndarray) -> np.ndarray:
    """*points* rounded to a quarter of a pixel, the grid Skia's anti-aliasing samples on (invisible in the PNG):
    the PDF then prints ``512.25`` where it printed ``512.34567`` (the 17 slides' PDFs 2.7 → 1.9 MiB, each
    written in 17 ms instead of 21, most of it Skia's deflate of the page's drawing).

    >>> quarter_pixels(np.array([[1.1, 2.9], [3.374, -0.13]])).tolist()
    [[1.0, 3.0], [3.25, -0.25]]
    """
    return np.round(np.asarray(points, np.float64) * 4) / 4


def slow_skia_path(rings: Iterable[np.ndarray], closed: bool) -> skia.Path:
    path = skia.Path()
    for ring in rings:
        path.addPoly([skia.Point(x, y) for x, y in np.asarray(ring).tolist()], closed)
    if closed:
        path.setFillType(skia.PathFillType.kEvenOdd)
    return path


#: SkPath's serial form: version 5, the fill type above it; verbs move, line, close.
SERIAL_VERSION, MOVE, LINE, CLOSE = 5, 0, 1, 5


def serial_form(rings: list[np.ndarray], closed: bool) -> bytes:
    """What ``SkPath::writeToMemory`` writes for :func:`slow_skia_path`'s path: header (version and fill type,
    point count, conic count, verb count), the points as float32 pairs, the verbs padded to 4 bytes."""
    counts = np.array([len(r) for r in rings])
    per = counts + (1 if closed else 0)
    ends = np.cumsum(per)
    verbs = np.full(int(ends[-1]), LINE, np.uint8)
    verbs[ends - per] = MOVE
    if closed:
        verbs[ends - 1] = CLOSE
    points = np.concatenate([np.asarray(r, np.float64) for r in rings]).astype("<f4")
    header = np.array([(int(closed) << 8) | SERIAL_VERSION, len(points), 0, len(verbs)], "<i4")
    return header.tobytes() + points.tobytes() + verbs.tobytes() + bytes(-len(verbs) % 4)


def _serial_form_read() -> bool:
    """Whether this Skia reads :func:`serial_form` as the path :func:`slow_skia_path` builds (checked once)."""
    rings = [np.array([[0.5, 1.0], [3.0, 4.25], [7.0, 1.5]]), np.array([[9.0, 9.0]]),
             np.array([[1.0, 2.0], [3.0, 5.0]])]
    for closed in (True, False):
        path, data = skia.Path(), serial_form(rings, closed)
        if path.readFromMemory(data) != len(data) or \
                bytes(path.serialize()) != bytes(slow_skia_path(rings, closed).serialize()):
            return False
    return True


SERIAL_FORM_READ = _serial_form_read()


def paint_item(canvas: skia.Canvas, item: Item, scene: Scene) -> None:
    if isinstance(item, Area):
        path = item_path(scene, item)
        canvas.drawPath(path, skia.Paint(Color=color(item.fill), AntiAlias=True))
        if item.width > 0:
            canvas.drawPath(path, skia.Paint(Color=color(item.stroke), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                                             StrokeWidth=item.width, StrokeJoin=skia.Paint.kRound_Join))
    elif isinstance(item, Line):
        paint = skia.Paint(Color=color(item.color, item.opacity), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                           StrokeWidth=item.width, StrokeJoin=skia.Paint.kRound_Join,
                           StrokeCap=skia.Paint.kRound_Cap if item.round_cap else skia.Paint.kButt_Cap)
        if item.dash:
            paint.setPathEffect(skia.DashPathEffect.Make(list(item.dash), 0))
        canvas.drawPath(item_path(scene, item), paint)
    elif isinstance(item, Dot):
        canvas.drawCircle(item.x, item.y, item.r, skia.Paint(Color=color(item.fill), AntiAlias=True))
        canvas.drawCircle(item.x, item.y, item.r, skia.Paint(Color=color(item.stroke), AntiAlias=True,
                                                             Style=skia.Paint.kStroke_Style, StrokeWidth=item.width))
    elif isinstance(item, Panel):
        rect = skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(*item.box), item.radius, item.radius)
        canvas.drawRRect(rect, skia.Paint(Color=color(item.fill, item.opacity), AntiAlias=True))
        if item.stroke:
            canvas.drawRRect(rect, skia.Paint(Color=color(item.stroke), AntiAlias=True,
                                              Style=skia.Paint.kStroke_Style, StrokeWidth=1.0))
    else:
        paint_text(canvas, item)


def paint_text(canvas: skia.Canvas, item: Text) -> None:
    f = font(item.size, item.bold, item.italic)
    x0 = item.x - f.measureText(item.text) if item.right else item.x
    if item.angle:
        canvas.save()
        canvas.rotate(item.angle, item.x, item.y)
    canvas.drawString(item.text, x0, item.y, f, skia.Paint(Color=color(item.color), AntiAlias=True))
    if item.angle:
        canvas.restore()


def paint(scene: Scene, canvas: skia.Canvas) -> None:
    canvas.clear(skia.ColorWHITE)
    canvas.save()
    canvas.clipRect(skia.Rect.MakeLTRB(*scene.map_box))
    canvas.drawColor(color(style.OUTSIDE))
    for item in scene.map_items:
        paint_item(canvas, item, scene)
    canvas.restore()
    canvas.drawRect(skia.Rect.MakeLTRB(*scene.map_box),
                    skia.Paint(Color=color("#333333"), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                               StrokeWidth=1.0))
    for item in scene.page_items:
        paint_item(canvas, item, scene)


def png_bytes(scene: Scene) -> bytes:
    # Painted straight into the array the encoder reads (no snapshot copied out of Skia's own buffer).
    pixels = np.empty((scene.height, scene.width, 4), np.uint8)
    info = skia.ImageInfo.Make(scene.width, scene.height, skia.kRGBA_8888_ColorType, skia.kOpaque_AlphaType)
    surface = skia.Surface.MakeRasterDirect(info, pixels, scene.width * 4)
    with surface as canvas:
        paint(scene, canvas)
    del surface
    return encode_png(pixels[:, :, :3])


def encode_png(rgb: np.ndarray, level: int = 3) -> bytes:
    r"""An 8-bit RGB PNG with no ancillary chunks (nothing that varies between runs).

    Scanlines are left unfiltered: a map's flat fills compress better that way than with PNG's predictors.
    The deflate is zlib-ng's at level 3: 5.5 ms a slide where zlib's took 12.5 (and Skia's or Pillow's encoders
    twice that), at a slightly smaller size, and the same stream for the same pixels every time (tested; ISA-L's
    deflate, faster still, gave another stream about once in a few hundred slides).

    >>> png = encode_png(np.zeros((2, 3, 3), np.uint8))
    >>> png[:8], struct.unpack(">II", png[16:24])
    (b'\x89PNG\r\n\x1a\n', (3, 2))
    """
    height, width, _ = rgb.shape
    rows = np.empty((height, 1 + 3 * width), np.uint8)  # filter byte 0 (None) then the row's RGB
    rows[:, 0] = 0
    pixels = rows[:, 1:].reshape(height, width, 3)
    for k in range(3):  # a channel at a time: 3x faster than one strided copy from an RGBA buffer's view
        pixels[:, :, k] = rgb[:, :, k]

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib_ng.compress(rows.data, level))
            + chunk(b"IEND", b""))


def pdf_bytes(scene: Scene) -> bytes:
    """One page, fonts embedded as subsets, no creation date (Skia writes none unless asked)."""
    stream = skia.DynamicMemoryWStream()
    metadata = skia.PDF.Metadata()
    metadata.fTitle = scene.title
    metadata.fCreator = "corridormap"
    document = skia.PDF.MakeDocument(stream, metadata)
    with document.page(scene.width * PDF_POINTS_PER_PX, scene.height * PDF_POINTS_PER_PX) as canvas:
        canvas.scale(PDF_POINTS_PER_PX, PDF_POINTS_PER_PX)
        paint(scene, canvas)
    document.close()
    return bytes(stream.detachAsData())
