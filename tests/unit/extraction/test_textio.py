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


# -- invisible characters and odd spaces (issue 13) ----------------------------------------

@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b",
                                  "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                                  "\ufeff", "\u00ad", "\u2060", "\u061c"])
def test_format_and_bidi_marks_are_removed_and_counted(mark):
    from analysis.extraction.textio import normalise

    text, removed = normalise(f"Huyện có 2{mark}1 chi hội và {mark}111{mark} hội viên")
    assert text == "Huyện có 21 chi hội và 111 hội viên"
    assert removed == {"format": 3}


def test_odd_spaces_and_line_separators_become_plain():
    from analysis.extraction.textio import normalise

    text, removed = normalise("Có\u2003trên\u3000500\u00a0hội viên\u2028Hết\x1b")
    assert text == "Có trên 500 hội viên\nHết"
    assert removed == {"space": 3, "line": 1, "control": 1}


def test_entity_for_a_bidi_mark_is_removed_too():
    assert normalise_text("Có 1&#8207;2 chi hội") == "Có 12 chi hội"


def test_offsets_refer_to_the_normalised_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Xã Yên Lạc có \u202e3\u202c2 chi hội khuyến học.", encoding="utf-8")
    decoded = read_article(p)
    assert decoded.text == "Xã Yên Lạc có 32 chi hội khuyến học."
    assert decoded.removed == {"format": 2} and len(decoded.sha256) == 64


def test_quote_window_caps_a_long_line_around_the_number():
    from analysis.extraction.textio import quote_window

    line = " ".join(f"{i} hội viên" for i in range(5000))
    pos = line.index("2500 hội viên")
    q = quote_window(line, 0, len(line), pos)
    assert len(q) <= 300 and "2500 hội viên" in q
    assert quote_window("ngắn gọn", 0, 8, 2) == "ngắn gọn"


def test_size_limit_names_the_limit(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_text("Hội viên 12. " * 100, encoding="utf-8")
    with pytest.raises(ArticleError, match="over the per-article limit of 100"):
        read_article(p, max_bytes=100)
    monkeypatch.setenv("KHUYENHOC_MAX_ARTICLE_BYTES", "200")
    with pytest.raises(ArticleError, match="limit of 200"):
        read_article(p)
    assert read_article(p, max_bytes=0).text.startswith("Hội viên")


def test_a_directory_named_txt_is_an_article_error(tmp_path):
    (tmp_path / "x.txt").mkdir()
    with pytest.raises(ArticleError, match="directory"):
        read_article(tmp_path / "x.txt")


def test_permission_denied_is_an_article_error(tmp_path, monkeypatch):
    import builtins

    p = tmp_path / "locked.txt"
    p.write_text("Có 12 chi hội.", encoding="utf-8")
    real_open = builtins.open

    def denied(file, *args, **kwargs):
        if str(file) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    with pytest.raises(ArticleError, match="cannot be read: Permission denied"):
        read_article(p)
