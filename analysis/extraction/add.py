"""``khuyenhoc add``: bring a file of any supported format into ``data/raw`` in one step.

For each file: read it (:mod:`analysis.extraction.intake`), refuse a duplicate (same text or
same URL as an article already there, naming it), choose a ``source_id`` (date + ASCII slug of
the title, unique), then write together — or not at all —

- ``articles/<source_id>.txt``: the text, UTF-8, NFC;
- ``originals/<source_id><ext>``: the file as it came;
- one row appended to ``sources.csv`` (``source_id,title,outlet,published,url``);
- the checksums of both files and the grown ``sources.csv`` in ``MANIFEST.sha256``.

Every file is written to a temporary name first and moved into place; if any move fails,
the ones already moved are undone, so a failure leaves ``data/raw`` as it was.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from analysis.extraction.intake import Found, IntakeError, read_document
from analysis.extraction.manifest import (
    MANIFEST,
    digest_bytes,
    ledger_prefix_ok,
    manifest_text,
    read_manifest,
)
from analysis.extraction.sources import SOURCE_COLUMNS, read_sources_table
from analysis.extraction.textio import ArticleError, read_article

SLUG_WORDS = 10
SLUG_CHARS = 60


class AddError(ValueError):
    """A file that is not added; the message names the file and the reason."""


@dataclass
class Added:
    """One file taken in by `khuyenhoc add`: where it came from and what it became."""

    source_id: str
    path: str  # the file given
    kind: str
    empty: list[str] = field(default_factory=list)  # sources.csv fields still empty


@dataclass
class Overrides:
    """What the user states on the command line; wins over what the file says."""

    url: str = ""
    published: date | None = None
    outlet: str = ""


def slugify(text: str) -> str:
    """ASCII slug: no diacritics (đ → d), lowercase letters and digits joined by ``-``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode())[:SLUG_WORDS]
    slug = ""
    for w in words:
        if slug and len(slug) + 1 + len(w) > SLUG_CHARS:
            break
        slug = f"{slug}-{w}" if slug else w[:SLUG_CHARS]
    return slug


def _norm_url(url: str) -> str:
    url = url.strip()
    url = re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE)
    return url.rstrip("/").split("#")[0].lower()


class Raw:
    """``data/raw`` as the add step sees it: existing ids, text checksums and URLs."""

    def __init__(self, raw: Path):
        self.raw = Path(raw)
        self.articles = self.raw / "articles"
        self.sources = self.raw / "sources.csv"
        table = read_sources_table(self.sources)
        self.ids = set(table.metas) | {p.stem for p in self.articles.glob("*.txt")}
        self.urls = {_norm_url(m.url): sid for sid, m in table.metas.items() if m.url.strip()}
        self._texts: dict[str, str] | None = None

    def texts(self) -> dict[str, str]:
        """Checksum of each article's normalised text → its source_id (read once, lazily)."""
        if self._texts is None:
            self._texts = {}
            for p in sorted(self.articles.glob("*.txt")):
                try:
                    self._texts.setdefault(text_digest(read_article(p).text), p.stem)
                except ArticleError:
                    continue
        return self._texts

    def check_ledger(self) -> None:
        """Refuse to add while a recorded row of ``sources.csv`` is edited or removed."""
        recorded = read_manifest(self.raw).get("sources.csv")
        if recorded and self.sources.exists() and not ledger_prefix_ok(self.sources.read_bytes(), recorded):
            raise AddError(f"{self.sources}: a recorded row was edited or removed (it is an append-only "
                           "ledger); restore it with git before adding articles")

    def new_id(self, found: Found, published: date | None, fallback: str) -> str:
        """``<date>-<slug of the title>`` (date from the metadata or the text; ``-2``, ``-3`` … if taken)."""
        when = published or _text_date(found.text)
        stem = slugify(found.title) or slugify(fallback) or "article"
        base = f"{when.isoformat() if when else 'undated'}-{stem}"
        sid, n = base, 2
        while sid in self.ids:
            sid, n = f"{base}-{n}", n + 1
        return sid


def text_digest(text: str) -> str:
    """Checksum of the words, whatever the line breaks and spacing (the same article saved
    as a page and as text is the same article)."""
    return digest_bytes(" ".join(text.split()).encode("utf-8"))


def _text_date(text: str) -> date | None:
    from analysis.extraction.knowledge import fold
    from analysis.extraction.periods import find_period_phrases, infer_dating

    folded = fold(text)
    return infer_dating(folded, find_period_phrases(folded), None).published


def add_files(files: list[Path], raw: Path, overrides: Overrides | None = None,
              echo: Callable[[str], None] = print, warn: Callable[[str], None] | None = None) -> tuple[list[Added], list[str]]:
    """Add each file; returns what was added and one message per file that was not."""
    import sys

    warn = warn or (lambda s: print(s, file=sys.stderr))
    overrides = overrides or Overrides()
    state = Raw(raw)
    added, failed = [], []
    for f in files:
        try:
            state.check_ledger()
            a = add_one(Path(f), state, overrides)
        except (AddError, IntakeError) as exc:
            msg = str(exc) if isinstance(exc, AddError) else f"{f}: {exc}"
            failed.append(msg)
            warn(msg)
            continue
        added.append(a)
        note = f"; still empty in sources.csv: {', '.join(a.empty)}" if a.empty else ""
        echo(f"{f}: added as {a.source_id} ({a.kind}) → {_shown(state.articles / (a.source_id + '.txt'))}{note}")
    return added, failed


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def add_one(path: Path, state: Raw, overrides: Overrides) -> Added:
    """Read, check and write one file (all or nothing)."""
    found = read_document(path)
    url = overrides.url or found.url
    if url and _norm_url(url) in state.urls:
        raise AddError(f"{path}: already added as {state.urls[_norm_url(url)]} (same URL {url})")
    digest = text_digest(found.text)
    if digest in state.texts():
        raise AddError(f"{path}: already added as {state.texts()[digest]} (same text)")
    published = overrides.published or found.published
    sid = state.new_id(found, published, path.stem)
    row = {"source_id": sid, "title": found.title, "outlet": overrides.outlet or found.outlet,
           "published": published.isoformat() if published else "", "url": url}
    _commit(state.raw, sid, found.text.encode("utf-8"), path, row)
    state.ids.add(sid)
    state.texts()[digest] = sid
    if url:
        state.urls[_norm_url(url)] = sid
    return Added(sid, str(path), found.kind, [k for k in SOURCE_COLUMNS if not row[k]])


def _sources_bytes(path: Path, row: dict[str, str]) -> bytes:
    old = path.read_bytes() if path.exists() else b""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if not old.strip():
        old = b""
        w.writerow(SOURCE_COLUMNS)
    elif not old.endswith(b"\n"):
        old += b"\r\n" if b"\r\n" in old else b"\n"
    w.writerow([row[k] for k in SOURCE_COLUMNS])
    return old + buf.getvalue().encode("utf-8")


def _commit(raw: Path, sid: str, text: bytes, original: Path, row: dict[str, str]) -> None:
    """Write the four files via temporary names; undo every move if one fails."""
    article = raw / "articles" / f"{sid}.txt"
    kept = raw / "originals" / f"{sid}{original.suffix.lower()}"
    sources = raw / "sources.csv"
    manifest = raw / MANIFEST
    new_sources = _sources_bytes(sources, row)
    listed = read_manifest(raw)
    original_bytes = original.read_bytes()
    listed[f"articles/{article.name}"] = digest_bytes(text)
    listed[f"originals/{kept.name}"] = digest_bytes(original_bytes)
    listed["sources.csv"] = digest_bytes(new_sources)
    plan = [(article, text), (kept, original_bytes), (sources, new_sources),
            (manifest, manifest_text(listed).encode("utf-8"))]
    backups = {p: p.read_bytes() for p, _ in plan if p.exists()}
    temps: list[Path] = []
    moved: list[Path] = []
    try:
        for target, data in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            temps.append(tmp)
        for (target, _), tmp in zip(plan, temps, strict=True):
            os.replace(tmp, target)
            moved.append(target)
    except BaseException as exc:
        _undo(moved, backups, temps)
        if isinstance(exc, OSError):
            raise AddError(f"{original}: could not write {exc.filename or 'data/raw'}: {exc.strerror or exc}; "
                           "nothing was changed") from None
        raise


def _undo(moved: list[Path], backups: dict[Path, bytes], temps: list[Path]) -> None:
    for target in reversed(moved):
        if target in backups:
            target.write_bytes(backups[target])
        else:
            target.unlink(missing_ok=True)
    for tmp in temps:
        tmp.unlink(missing_ok=True)
