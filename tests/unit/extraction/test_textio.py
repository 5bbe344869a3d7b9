import codecs
import unicodedata

import pytest

from analysis.extraction.textio import ArticleError, decode_bytes, normalise_text, read_article

SENTENCE = "Hội Khuyến học thị xã Quế Võ có trên 72.000 hội viên; quỹ đạt 99,81%."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_each_encoding_decodes_to_the_same_text(encoding, encode_as):
    raw = encode_as(SENTENCE, encoding)
    if encoding == "utf-16-le":
        assert not raw.startswith(codecs.BOM_UTF16_LE)
    assert normalise_text(decode_bytes(raw).text) == SENTENCE


def test_nfd_crlf_nbsp_entities_and_tags_are_normalised():
    messy = unicodedata.normalize("NFD", "Có\u00a0trên 72.000&nbsp;hội viên &amp; 21 chi hội<br>\r\nHết")
    assert normalise_text(messy) == "Có trên 72.000 hội viên & 21 chi hội \nHết"


def test_mojibake_is_repaired():
    broken = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in SENTENCE.encode("utf-8"))
    assert "hội viên" in normalise_text(broken)


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"), (b"   \n\r\n", "empty"), (b"\x00\x01\x02\xff\xfe\x00\x10" * 50, "binary"),
    (b"1234 5678", "no letters"),
])
def test_bad_input_names_the_reason(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ArticleError, match=reason):
        read_article(p)


def test_unreadable_file(tmp_path):
    with pytest.raises(ArticleError, match="cannot be read"):
        read_article(tmp_path / "missing.txt")
