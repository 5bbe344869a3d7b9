"""One reader per format: text and the metadata the file states, or a message saying why not."""

from datetime import date

import pytest

from analysis.extraction.add import slugify, text_digest
from analysis.extraction.extract import SourceMeta, extract_article
from analysis.extraction.intake import IntakeError, _unwrap, read_document

TITLE = "Hội Khuyến học huyện Đông Sơn tổng kết công tác năm 2023"


def figures(text: str) -> list[tuple]:
    meta = SourceMeta("x", published=date(2024, 1, 13))
    return sorted((f.metric, f.stage, f.value, f.value_max, f.bound, f.unit, f.entity, f.period_start, f.period_end)
                  for f in extract_article(text, meta).figures)


def test_txt_keeps_the_text_and_takes_its_headline(byo_documents):
    found = read_document(byo_documents["txt"])
    assert found.kind == "txt" and found.title == TITLE and found.encoding == "utf-8"
    assert found.text == byo_documents["txt"].read_text(encoding="utf-8")


def test_html_main_text_and_metadata_without_the_boilerplate(byo_documents):
    found = read_document(byo_documents["html"])
    assert (found.title, found.outlet, found.published) == (TITLE, "Khuyến học Đông Sơn", date(2024, 1, 13))
    assert found.url == "https://khuyenhoc-dongson.example.vn/tin/tong-ket-2023.html"
    assert found.text.startswith(TITLE + "\n") and "15.230 hội viên" in found.text
    for boilerplate in ("Trang chủ", "0237.3456.789", "1.234.567", "Tin liên quan", "500 suất"):
        assert boilerplate not in found.text
    assert text_digest(found.text) == text_digest(read_document(byo_documents["txt"]).text)


def test_docx_paragraphs_and_table_in_document_order(byo_documents):
    found = read_document(byo_documents["docx"])
    assert found.title == TITLE and found.kind == "docx"
    assert found.text == byo_documents["txt_of_docx"].read_text(encoding="utf-8")
    lines = found.text.splitlines()
    assert lines.index("Gia đình học tập | 8.450") == lines.index("Năm 2023, toàn huyện có 15.230 hội viên, "
                                                                  "sinh hoạt tại 182 chi hội.") + 2


def test_pdf_text_layer_with_wrapped_lines_joined(byo_documents):
    found = read_document(byo_documents["pdf"])
    assert found.title == TITLE and found.kind == "pdf"
    assert " ".join(found.text.split()) == " ".join(byo_documents["txt"].read_text(encoding="utf-8").split())


@pytest.mark.parametrize("kind,twin", [("html", "txt"), ("docx", "txt_of_docx"), ("pdf", "txt")])
def test_every_format_gives_the_figures_of_its_text(byo_documents, kind, twin):
    expected = figures(read_document(byo_documents[twin]).text)
    assert len(expected) >= 5
    assert figures(read_document(byo_documents[kind]).text) == expected


@pytest.mark.parametrize("key,message", [
    ("scan_pdf", "no text layer: run OCR first"),
    ("corrupt_docx", "not a readable Word document"),
    ("bodiless_html", "no article body found in the page"),
    ("corrupt_pdf", "not a readable PDF"),
])
def test_bad_files_say_why(byo_documents, key, message):
    with pytest.raises(IntakeError, match=message):
        read_document(byo_documents[key])


def test_unknown_type_and_missing_file(tmp_path):
    (tmp_path / "report.odt").write_bytes(b"x")
    with pytest.raises(IntakeError, match=r"unsupported file type '\.odt': use one of \.txt, \.html"):
        read_document(tmp_path / "report.odt")
    with pytest.raises(IntakeError, match="no such file"):
        read_document(tmp_path / "gone.pdf")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(IntakeError, match="the file is empty"):
        read_document(tmp_path / "empty.txt")


@pytest.mark.parametrize("title,slug", [
    ("Hội Khuyến học huyện Đông Sơn: trao 1.240 suất học bổng", "hoi-khuyen-hoc-huyen-dong-son-trao-1-240-suat"),  # ten words at most
    ("ĐẠI HỘI ĐẠI BIỂU lần thứ V", "dai-hoi-dai-bieu-lan-thu-v"),
    ("«Khuyến học» — 2023!", "khuyen-hoc-2023"),
    ("", ""),
])
def test_slug_is_lowercase_ascii_digits_and_dashes(title, slug):
    assert slugify(title) == slug


def test_slug_stays_short():
    long = slugify("Hội nghị tổng kết công tác khuyến học khuyến tài xây dựng xã hội học tập năm 2023 và "
                   "triển khai nhiệm vụ năm 2024")
    assert len(long) <= 60 and not long.endswith("-")


def test_unwrap_joins_only_lines_broken_mid_sentence():
    page = ("Tiêu đề báo cáo\nNăm 2023, toàn huyện có 15.230\nhội viên.\nQuỹ khuyến học đạt 3 tỷ đồng.\nGhi chú\n"
            "I. KẾT QUẢ\n1. Công tác tổ chức\nTrao thưởng với số tiền\n310 triệu đồng, tổng kết năm\n"
            "2021. Đạt danh hiệu\n\"Gia đình học tập\".\nMục tiêu:\na) Phát triển hội viên")
    assert _unwrap(page) == ("Tiêu đề báo cáo\nNăm 2023, toàn huyện có 15.230 hội viên.\n"
                             "Quỹ khuyến học đạt 3 tỷ đồng.\nGhi chú\nI. KẾT QUẢ\n1. Công tác tổ chức\n"
                             "Trao thưởng với số tiền 310 triệu đồng, tổng kết năm 2021. Đạt danh hiệu "
                             "\"Gia đình học tập\".\nMục tiêu:\na) Phát triển hội viên")
