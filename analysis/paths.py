"""Where the project's data lives. Every path is relative to the project root, which is the
current directory unless ``KHUYENHOC_ROOT`` names another (tests point it at a temp copy)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
KNOWLEDGE_DIR = PACKAGE_DIR / "knowledge"


def project_root() -> Path:
    """The project root: `KHUYENHOC_ROOT`, else the nearest folder up with `pyproject.toml` and `data/`."""
    env = os.environ.get("KHUYENHOC_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "data").is_dir():
            return candidate
    return PACKAGE_DIR.parent


ROOT = project_root()
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
ARTICLES_DIR = RAW_DIR / "articles"
SOURCES_CSV = RAW_DIR / "sources.csv"
REFERENCE_DIR = DATA_DIR / "reference"
CURATED_DIR = DATA_DIR / "curated"
PROCESSED_DIR = DATA_DIR / "processed"
FIGURES_CSV = PROCESSED_DIR / "figures.csv"
REPORTS_DIR = ROOT / "reports"
NOTEBOOKS_DIR = ROOT / "notebooks"
