"""A PowerPoint deck (python-pptx): a title slide, then per corridor its map, key figures and sources in notes."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.opc import serialized
from pptx.presentation import Presentation as PresentationType
from pptx.util import Emu, Pt

from .._io import atomic_path
from ..join import Layers, sources_by_id
from .popups import FIGURE_COLUMNS, about, records, value_text

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 in × 7.5 in, 16:9
BLANK_LAYOUT, TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 6, 0, 5


def key_rows(layers: Layers, cid: str, limit: int = 8) -> list[tuple[str, str, str]]:
    """(figure, "metric, period", source) rows for the corridor's latest volumes."""
    latest = layers.facts[cid].latest
    return [(value_text(float(r["value"]), r["unit"], r["qualifier"]), about(r, cid), r["source"])
            for r in records(latest.tail(limit), FIGURE_COLUMNS)]


def notes_text(layers: Layers, cid: str) -> str:
    """Speaker notes: the corridor's description and every source it draws on, with titles and URLs."""
    members = layers.members[cid]
    cf = layers.facts[cid]
    ids = [*dict.fromkeys([*cf.latest["source"], *cf.agreements["source"]])]
    sources = sources_by_id(layers)
    lines = [layers.corridor(cid)["description"], "", "Sources:"]
    for sid in ids:
        if sid in sources:
            s = sources[sid]
            lines.append(f"- [{sid}] {s['author'] + ', ' if s['author'] else ''}{s['title']}, {s['publisher']}"
                         f"{', ' + s['date'] if s['date'] else ''}{' ' + s['url'] if s['url'] else ''}")
    lines.append("- Route geometry: " + "; ".join(dict.fromkeys(members["source"])))
    lines.append("- Base map: Natural Earth 1:10m admin-0 (public domain).")
    return "\n".join(lines)


def add_title_slide(prs: PresentationType, layers: Layers, as_of: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.text = "Eurasian transport corridors"
    subtitle.text = (f"{len(layers.corridors)} corridors · data as of {as_of} · "
                     "maps by corridormap, base map Natural Earth")
    # The default template's placeholders are laid out for 4:3; centre them on the 16:9 slide.
    width = SLIDE_W - Emu(1800000)
    title.left, title.top, title.width, title.height = Emu(900000), Emu(2000000), width, Emu(1300000)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Emu(900000), Emu(3500000), width, Emu(1000000)


def add_corridor_slide(prs: PresentationType, layers: Layers, cid: str, image: Path) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    slide.shapes.title.text = layers.corridor(cid)["name"]
    slide.shapes.title.text_frame.word_wrap = True
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(24)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Emu(250000), Emu(150000), SLIDE_W - Emu(500000), Emu(900000)
    top = Emu(1150000)
    pic_w = Emu(int(SLIDE_W * 0.66))
    slide.shapes.add_picture(str(image), Emu(250000), top, width=pic_w)
    rows = key_rows(layers, cid) or [("no volume figures in the sources", "", "")]
    left = Emu(250000 + pic_w + 150000)
    width = SLIDE_W - left - Emu(200000)
    table = slide.shapes.add_table(len(rows) + 1, 3, left, top, width, Emu(300000 * (len(rows) + 1))).table
    for i, head in enumerate(("Figure", "What, when", "Source")):
        table.cell(0, i).text = head
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for row in table.rows:
        for cell in row.cells:
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(10)
    slide.notes_slide.notes_text_frame.text = notes_text(layers, cid)


def write_deck(layers: Layers, images: dict[str, Path], path: str | Path, *, as_of: str) -> Path:
    """``corridormap.pptx``: title slide + one slide per corridor (map image from *images*, key figures)."""
    deck = Deck(layers, as_of)
    for cid in layers.corridors["id"]:
        deck.add_corridor(cid, images[cid])
    return deck.save(path)


class Deck:
    """A deck built slide by slide (the build adds each corridor as soon as its image is drawn), then saved."""

    def __init__(self, layers: Layers, as_of: str):
        self.layers = layers
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        add_title_slide(self.prs, layers, as_of)

    def add_corridor(self, cid: str, image: Path) -> None:
        add_corridor_slide(self.prs, self.layers, cid, image)

    def save(self, path: str | Path) -> Path:
        buffer = io.BytesIO()
        if _FixedZipWriter.usable():
            with _FixedZipWriter.installed():
                self.prs.save(buffer)
            data = buffer.getvalue()
        else:  # python-pptx's writer moved: save as it does, then rewrite the zip
            self.prs.save(buffer)
            data = fixed_zip_dates(buffer.getvalue())
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return Path(path)


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry dated 1980-01-01 (so the same data gives byte-identical decks), stored when it is an image (a
    PNG does not deflate further), else deflated."""
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
    return entry


def fixed_zip_dates(data: bytes) -> bytes:
    """The same .pptx with every entry as :func:`zip_entry` makes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zip_entry(info.filename), src.read(info.filename))
    return out.getvalue()


class _FixedZipWriter:
    """python-pptx's zip writer with every entry made by :func:`zip_entry`: the deck is written once, instead of
    deflating 4 MB of PNG that then has to be read back and rewritten (0.15 s of the build's serial tail)."""

    def __init__(self, pkg_file):
        self._zipf = zipfile.ZipFile(pkg_file, "w", zipfile.ZIP_DEFLATED)

    def __enter__(self) -> _FixedZipWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zipf.close()

    def write(self, pack_uri, blob: bytes) -> None:
        self._zipf.writestr(zip_entry(pack_uri.membername), blob)

    @staticmethod
    def usable() -> bool:
        return callable(getattr(getattr(serialized, "_PhysPkgWriter", None), "factory", None))

    @staticmethod
    @contextlib.contextmanager
    def installed():
        """python-pptx's ``_PhysPkgWriter.factory`` returns this writer while the block runs."""
        writer = serialized._PhysPkgWriter
        original = writer.__dict__["factory"]
        writer.factory = classmethod(lambda _cls, pkg_file: _FixedZipWriter(pkg_file))
        try:
            yield
        finally:
            writer.factory = original


#: Zip entries kept uncompressed: already-compressed media.
STORED = (".png", ".jpeg", ".jpg")
