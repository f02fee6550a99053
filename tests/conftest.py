"""Shared fixtures: the real repository, a scratch copy of it to break, joined layers, a headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import corridormap as cm
from corridormap.join import join

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CHROMIUM = Path(os.environ.get("CORRIDORMAP_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def atlas():
    return cm.load(ROOT)


@pytest.fixture(scope="session")
def layers(atlas):
    cm.validate(atlas)
    return join(atlas)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch copy of geo/ and routes/ to break."""
    for name in ("geo", "routes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; mandatory when CI=true, skipped with a reason elsewhere."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Chromium at {CHROMIUM}: .ci/run must apt-get install chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CORRIDORMAP_CHROMIUM)")
    if os.environ.get("CI") == "true":
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                    "--disable-background-networking", "--disable-component-update",
                                    "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def maps(tmp_path_factory) -> Path:
    """One build of the repository into a temporary folder, shared by every test that opens its outputs."""
    from corridormap.build import build

    out = tmp_path_factory.mktemp("maps")
    build(ROOT, out)
    return out
