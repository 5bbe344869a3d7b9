"""Reading articles: bytes in any state real files come in → one NFC-normalised string.

Every later offset (``start``, ``end``) refers to the string :func:`normalise_text` returns.
Decoding is tried in a fixed order so the result is deterministic:
BOM (UTF-8, UTF-16) → UTF-16 without BOM (NUL-byte pattern) → strict UTF-8 → Windows-1258.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


class ArticleError(ValueError):
    """An article that cannot be read or understood; the message names the reason."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


# Characters that are whitespace to a reader but not to ``str.split``-minded regexes.
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# str.translate with a dict walks the text in Python-speed steps; most texts have none of these
_ODD_CHARS = re.compile("[" + "".join(map(chr, {**_SPACE_LIKE, **_INVISIBLE})) + "]")
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


def normalise_text(text: str) -> str:
    """NFC, LF line ends, HTML entities and inline tags resolved, odd spaces made plain."""
    text = _fix_mojibake(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if _ODD_CHARS.search(text):
        text = text.translate(_INVISIBLE).translate(_SPACE_LIKE)
    text = unicodedata.normalize("NFC", text)
    if not any(ch.isalpha() for ch in text):
        raise ArticleError("no letters: not an article")
    return text


def read_article(path: str | Path) -> Decoded:
    """Read one article file, decoded and normalised; raises :class:`ArticleError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror or exc}") from exc
    decoded = decode_bytes(data)
    return Decoded(normalise_text(decoded.text), decoded.encoding)
