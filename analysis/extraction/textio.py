"""Reading articles: bytes in any state real files come in → one NFC-normalised string.

Every later offset (``start``, ``end``) refers to the string :func:`normalise_text` returns
(the *normalised text*; the raw file is never changed, and normalising it again gives the
same string, so offsets are reproducible from the raw bytes alone).
Decoding is tried in a fixed order so the result is deterministic:
BOM (UTF-8, UTF-16) → UTF-16 without BOM (NUL-byte pattern) → strict UTF-8 → Windows-1258.

Normalisation removes every invisible *format* character (Unicode category Cf: zero-width
space and joiners, LRM/RLM, the bidi embeddings/overrides/isolates LRE…PDF and LRI…PDI, BOM,
soft hyphen, word joiner…) and stray control characters, and makes odd spaces plain. A mark
hidden inside a number (``2\u200f1``) would otherwise split it or hide it from the reader;
:func:`normalise` counts what it removed so ``articles.csv`` can say so.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


class ArticleError(ValueError):
    """An article that cannot be read or understood; the message names the reason."""


@dataclass(frozen=True)
class Decoded:
    """An article's normalised text, how its bytes were decoded, and what normalising removed."""

    text: str
    encoding: str
    removed: dict[str, int] = field(default_factory=dict)  # kind → count (see :func:`normalise`)
    sha256: str = ""  # of the raw bytes read


#: Default per-article size limit (bytes); ``KHUYENHOC_MAX_ARTICLE_BYTES`` or ``--max-article-bytes``.
MAX_ARTICLE_BYTES = 5_000_000
_TAG = re.compile(r"</?(?:br|p|div|span|strong|em|b|i)\b[^>]*>", re.IGNORECASE)
# Typical traces of UTF-8 read as Windows-1252 (``Há»™i`` for ``Hội``).
_MOJIBAKE = re.compile(r"(?:Ã[\u0080-\u00ff]|Ä[\u0080-\u00ff]|Æ[\u0080-\u00ff]|á[º»][\u0080-\u00ff])")


def decode_bytes(data: bytes) -> Decoded:
    """Decode article bytes; raise :class:`ArticleError` for empty or binary input."""
    if not data.strip(b" \t\r\n\x00"):
        raise ArticleError("the file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"starts with a {enc} byte-order mark but does not decode: {exc}") from exc
    utf16 = _guess_utf16(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ArticleError("binary content (NUL bytes) and not UTF-16 text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 200):
        raise ArticleError("not decodable as UTF-8, UTF-16 or Windows-1258 text")
    return Decoded(text, "cp1258")


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _fix_mojibake(text: str) -> str:
    if len(_MOJIBAKE.findall(text)) < 3:
        return text
    raw = bytearray()
    for ch in text:  # cp1252, with its five undefined bytes passed through as code points
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 255:
                return text
            raw.append(ord(ch))
    fixed = raw.decode("utf-8", errors="replace")
    return fixed if fixed.count("\ufffd") <= 2 else text


def _classify(ch: str) -> str | None:
    """What normalising does with one character: None keeps it, else the kind it is counted as."""
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return "format"
    if cat == "Zs" and ch != " ":
        return "space"
    if cat in ("Zl", "Zp") or ch in "\x0b\x0c\x85":
        return "line"
    if cat == "Cc" and ch not in "\n\t":
        return "control"
    if ch == "\t":
        return "space"
    return None


_REPLACEMENT = {"format": "", "control": "", "space": " ", "line": "\n"}
_ODD = re.compile(r"[^\x20-\x7e\n\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")


def clean_invisible(text: str) -> tuple[str, dict[str, int]]:
    """Remove format/bidi and control characters, make odd spaces plain; count each kind."""
    counts: dict[str, int] = {}
    table: dict[int, str] = {}
    for ch in set(_ODD.findall(text)):
        kind = _classify(ch)
        if kind is not None:
            table[ord(ch)] = _REPLACEMENT[kind]
    if not table:
        return text, counts
    for ch in _ODD.findall(text):
        kind = _classify(ch)
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    return text.translate(table), counts


def normalise(text: str) -> tuple[str, dict[str, int]]:
    """NFC, LF line ends, HTML entities and inline tags resolved, invisible characters removed
    and odd spaces made plain; returns the text and the counts of what was removed or replaced
    (``format``: Cf characters incl. bidi marks, ``control``, ``space``, ``line``)."""
    text = _fix_mojibake(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = html.unescape(text)  # may produce invisible characters (&#8203;): cleaned below
    if "<" in text:
        text = _TAG.sub(" ", text)
    text, counts = clean_invisible(text)
    text = unicodedata.normalize("NFC", text)
    if not any(ch.isalpha() for ch in text):
        raise ArticleError("no letters: not an article")
    return text, counts


def normalise_text(text: str) -> str:
    """The normalised text alone (see :func:`normalise`); every offset refers to it."""
    return normalise(text)[0]


def describe_removed(removed: dict[str, int]) -> str:
    """``{'format': 3, 'space': 2}`` → ``3 invisible format/bidi, 2 odd space`` (for articles.csv)."""
    names = {"format": "invisible format/bidi", "control": "control", "space": "odd space", "line": "line separator"}
    return ", ".join(f"{n} {names.get(k, k)}" for k, n in sorted(removed.items()) if n)


#: Longest quote a figure or residue row carries (characters).
QUOTE_LIMIT = 300


def quote_window(text: str, start: int, end: int, pos: int, limit: int = QUOTE_LIMIT) -> str:
    """``text[start:end]`` stripped, or — when longer than ``limit`` — a window of at most
    ``limit`` characters around ``pos`` inside it (cut at spaces), so that a line of 50 000
    numbers does not repeat itself 50 000 times. The window keeps 100 characters before
    ``pos`` and the rest after it, enough for the bound word, the number and its noun."""
    if end - start <= limit:
        return text[start:end].strip()
    lo = max(start, pos - 100)
    hi = min(end, lo + limit)
    lo = max(start, hi - limit)
    if lo > start:
        cut = text.find(" ", lo, max(lo, pos - 20))
        lo = cut + 1 if cut != -1 else lo
    if hi < end:
        cut = text.rfind(" ", min(hi, pos + 150), hi)
        hi = cut if cut != -1 else hi
    return text[lo:hi].strip()


def max_article_bytes() -> int:
    """The per-article size limit: ``KHUYENHOC_MAX_ARTICLE_BYTES`` if set, else the default."""
    env = os.environ.get("KHUYENHOC_MAX_ARTICLE_BYTES", "").strip()
    try:
        return int(env) if env else MAX_ARTICLE_BYTES
    except ValueError:
        return MAX_ARTICLE_BYTES


def read_article(path: str | Path, max_bytes: int | None = None) -> Decoded:
    """Read one article file, decoded and normalised; raises :class:`ArticleError` whose message
    says why (not a file, unreadable, too large, undecodable, no letters)."""
    path = Path(path)
    limit = max_article_bytes() if max_bytes is None else max_bytes
    try:
        if not path.is_file():
            what = ("it is a directory" if path.is_dir() else "not a regular file" if path.exists()
                    else "a broken or looping link" if path.is_symlink() else "no such file")
            raise ArticleError(f"cannot be read: {what}")
        size = path.stat().st_size
        if limit and size > limit:
            raise ArticleError(f"is {size:,} bytes, over the per-article limit of {limit:,} "
                               "(raise it with --max-article-bytes or KHUYENHOC_MAX_ARTICLE_BYTES)")
        with open(path, "rb") as f:
            data = f.read(limit + 1) if limit else f.read()
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror or exc}") from exc
    if limit and len(data) > limit:
        raise ArticleError(f"grew past the per-article limit of {limit:,} bytes while being read")
    decoded = decode_bytes(data)
    text, removed = normalise(decoded.text)
    return Decoded(text, decoded.encoding, removed, hashlib.sha256(data).hexdigest())
