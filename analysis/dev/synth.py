"""A seeded generator of synthetic articles in the genre, with the truth of every planted figure.

For benchmarks (throughput at 1 000–10 000 articles) and for watching that the extractor's F1
does not fall as the corpus grows. Wording, places, periods, qualifiers and amounts vary;
numbers that are not figures (dates, years, attendees, anniversaries, changes) are planted too,
and so are the shapes real reports use: label-and-value lists under a header line, undated
articles, districts reported one by one in a province's report (each its own entity in the
truth), a level stated with its change against an earlier year.
The same seed gives the same corpus, byte for byte.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

PLACES = [  # (prefix, name, level, province)
    ("huyện", "Gia Bình", "district", "Bắc Ninh"), ("thị xã", "Từ Sơn", "district", "Bắc Ninh"),
    ("huyện", "Đông Hưng", "district", "Thái Bình"), ("huyện", "Hải Hậu", "district", "Nam Định"),
    ("huyện", "Kim Bảng", "district", "Hà Nam"), ("huyện", "Yên Mô", "district", "Ninh Bình"),
    ("huyện", "Văn Lâm", "district", "Hưng Yên"), ("huyện", "Tam Dương", "district", "Vĩnh Phúc"),
    ("huyện", "Ba Vì", "district", "Hà Nội"), ("quận", "Cầu Giấy", "district", "Hà Nội"),
    ("thị xã", "Quế Võ", "district", "Bắc Ninh"), ("quận", "Hoàn Kiếm", "district", "Hà Nội"),
    ("tỉnh", "Thái Bình", "province", "Thái Bình"), ("tỉnh", "Nam Định", "province", "Nam Định"),
    ("tỉnh", "Hà Nam", "province", "Hà Nam"), ("tỉnh", "Hưng Yên", "province", "Hưng Yên"),
    ("tỉnh", "Vĩnh Phúc", "province", "Vĩnh Phúc"), ("tỉnh", "Bắc Kạn", "province", "Bắc Kạn"),
    ("tỉnh", "Thái Nguyên", "province", "Thái Nguyên"), ("tỉnh", "Cần Thơ", "province", "Cần Thơ"),
]
# districts of each province (as they were before July 2025), named as sub-units in a province's report
SUBUNITS = {
    "Thái Bình": [("huyện", "Đông Hưng"), ("huyện", "Kiến Xương"), ("huyện", "Vũ Thư")],
    "Nam Định": [("huyện", "Hải Hậu"), ("huyện", "Ý Yên"), ("huyện", "Xuân Trường")],
    "Hà Nam": [("huyện", "Kim Bảng"), ("huyện", "Lý Nhân"), ("huyện", "Thanh Liêm")],
    "Hưng Yên": [("huyện", "Văn Lâm"), ("huyện", "Khoái Châu"), ("huyện", "Tiên Lữ")],
    "Vĩnh Phúc": [("huyện", "Tam Dương"), ("huyện", "Lập Thạch"), ("huyện", "Yên Lạc")],
    "Bắc Kạn": [("huyện", "Ba Bể"), ("huyện", "Chợ Đồn"), ("huyện", "Na Rì")],
    "Thái Nguyên": [("huyện", "Đại Từ"), ("huyện", "Phú Bình"), ("huyện", "Định Hóa")],
    "Cần Thơ": [("quận", "Ninh Kiều"), ("huyện", "Phong Điền"), ("huyện", "Cờ Đỏ")],
}
QUALIFIERS = [("", "exact")] * 5 + [("trên ", "at_least"), ("hơn ", "at_least"), ("gần ", "at_most"),
                                     ("khoảng ", "approx")]
LEADS = ["Năm {y}, ", "Trong năm {y}, ", "Tính đến nay, ", "Hiện nay, ", "", "Đến nay, "]
FILLER = [
    "Hội nghị đã đánh giá kết quả công tác khuyến học, khuyến tài, xây dựng xã hội học tập.",
    "Các cấp hội tiếp tục đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng.",
    "Công tác tuyên truyền được quan tâm, tạo sự lan tỏa trong các tầng lớp nhân dân.",
    "Phát biểu tại hội nghị, đồng chí Chủ tịch Hội Khuyến học tỉnh ghi nhận những kết quả đạt được.",
    "Nhiều mô hình hay, cách làm sáng tạo được nhân rộng trên địa bàn.",
    "Hội đã phối hợp chặt chẽ với ngành giáo dục và các đoàn thể trong công tác khuyến học.",
]


def grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def money(rng: random.Random) -> tuple[str, float]:
    kind = rng.randrange(5)
    if kind == 0:
        whole, tenth = rng.randint(1, 40), rng.randint(1, 9)
        return f"{whole},{tenth} tỷ đồng", whole * 1e9 + tenth * 1e8
    if kind == 1:
        m = rng.randint(20, 990)
        return f"{m} triệu đồng", m * 1e6
    if kind == 2:
        m, k = rng.randint(10, 99), rng.randint(1, 9) * 100
        return f"{m} triệu {k} nghìn đồng", m * 1e6 + k * 1e3
    if kind == 3:
        m = rng.randint(5, 500)
        return f"{grouped(m * 1_000_000)} đồng", m * 1e6
    b = rng.randint(2, 60)
    return f"{b} tỷ đồng", b * 1e9


@dataclass
class Planted:
    text: str
    rows: list[dict]


def _sentences(rng: random.Random, year: int) -> list[tuple[str, list[dict]]]:
    """Candidate sentences, each with the figures it states (metric, value, unit, stage, bound)."""

    def row(metric, value, unit, stage="actual", bound="exact", value_max=None):
        return {"metric": metric, "value": value, "unit": unit, "stage": stage, "bound": bound,
                "value_max": value_max}

    out = []
    q, b = rng.choice(QUALIFIERS)
    n = rng.randint(1_000, 400_000)
    out.append((f"{rng.choice(LEADS).format(y=year)}toàn {{area}} có {q}{grouped(n)} hội viên.",
                [row("members", n, "count", bound=b)]))
    a, c = rng.randint(5, 40), rng.randint(50, 900)
    out.append((f"Toàn {{area}} có {a} Hội khuyến học xã, phường, thị trấn và {c} chi hội khuyến học.",
                [row("associations", a, "count"), row("branches", c, "count")]))
    d = rng.randint(20, 900)
    out.append((f"Các địa phương đã thành lập {d} dòng họ khuyến học.", [row("promoting_clans", d, "count")]))
    q, b = rng.choice(QUALIFIERS)
    f_ = rng.randint(2_000, 300_000)
    verb, stage = rng.choice([("đạt danh hiệu", "achieved"), ("được công nhận", "achieved"), ("đăng ký", "registered")])
    out.append((f"Trong năm {year}, có {q}{grouped(f_)} hộ gia đình {verb} “Gia đình học tập”.",
                [row("learning_families", f_, "count", stage, b)]))
    cl, cm, un = rng.randint(5, 300), rng.randint(10, 500), rng.randint(5, 400)
    out.append((f"Toàn {{area}} có {cl} dòng họ đạt “Dòng họ học tập”, {cm} thôn, tổ dân phố đạt “Cộng đồng học tập” "
                f"và {un} cơ quan, đơn vị đạt “Đơn vị học tập”.",
                [row("learning_clans", cl, "count", "achieved"), row("learning_communities", cm, "count", "achieved"),
                 row("learning_units", un, "count", "achieved")]))
    p = rng.randint(60, 99)
    out.append((rng.choice([f"Tỷ lệ gia đình học tập đạt {p}%.", f"Có {p}% số hộ được công nhận gia đình học tập."]),
                [row("learning_families_rate", p, "percent", "achieved")]))
    t = rng.randint(85, 99)
    out.append((f"Năm {year + 1}, phấn đấu {t}% gia đình đạt danh hiệu “Gia đình học tập”.",
                [row("learning_families_rate", t, "percent", "target")]))
    q, b = rng.choice(QUALIFIERS)
    text, value = money(rng)
    out.append((rng.choice([f"Các cấp hội đã vận động xây dựng quỹ khuyến học được {q}{text}.",
                            f"Quỹ khuyến học các cấp huy động được {q}{text}."]),
                [row("fund_raised", value, "vnd", bound=b)]))
    r = rng.randint(50, 5_000)
    text, value = money(rng)
    out.append((f"Từ nguồn quỹ, Hội đã khen thưởng cho {grouped(r)} học sinh giỏi với tổng số tiền {text}.",
                [row("award_recipients", r, "count"), row("awards_paid", value, "vnd")]))
    s = rng.randint(20, 900)
    text, value = money(rng)
    out.append((f"Hội đã trao {s} suất học bổng trị giá {text} cho học sinh nghèo vượt khó.",
                [row("award_recipients", s, "count"), row("awards_paid", value, "vnd")]))
    dn = rng.randint(5, 300)
    out.append((f"Hội tiếp nhận sự ủng hộ của {dn} đơn vị, doanh nghiệp, nhà hảo tâm.", [row("donors", dn, "count")]))
    lo = rng.randint(60, 80)
    out.append((f"Chỉ tiêu hằng năm có từ {lo}-{lo + 10}% dòng họ đạt danh hiệu dòng họ học tập.",
                [row("learning_clans_rate", lo, "percent", "target", "range", lo + 10)]))
    # numbers that are not figures
    out.append((f"Hội nghị có {rng.randint(80, 300)} đại biểu tham dự.", []))
    out.append((f"Số hội viên tăng {grouped(rng.randint(100, 5000))} người so với năm {year - 1}.", []))
    out.append((f"Năm {year} là năm kỷ niệm {rng.randint(10, 30)} năm thành lập Hội.", []))
    return out


def _row(metric, value, unit, stage="actual", bound="exact", value_max=None, **where) -> dict:
    return {"metric": metric, "value": value, "unit": unit, "stage": stage, "bound": bound,
            "value_max": value_max, **where}


def _label_list(rng: random.Random, year: int) -> tuple[str, list[dict]]:
    """A header line and label-and-value items (``- Số hội viên: 12.345 người;``), as reports list
    their results."""
    items, rows = [], []
    n = rng.randint(2_000, 300_000)
    items.append(f"- Số hội viên: {grouped(n)} người")
    rows.append(_row("members", n, "count"))
    f_ = rng.randint(1_000, 90_000)
    items.append(f"- Số gia đình đăng ký gia đình học tập: {grouped(f_)} gia đình")
    rows.append(_row("learning_families", f_, "count", "registered"))
    p = rng.randint(60, 98)
    tenth = rng.randint(1, 9)
    items.append(f"- Tỷ lệ gia đình học tập: {p},{tenth}%")
    rows.append(_row("learning_families_rate", p + tenth / 10, "percent", "achieved"))
    text, value = money(rng)
    items.append(f"- Quỹ khuyến học các cấp: {text}")
    rows.append(_row("fund_raised", value, "vnd"))
    keep = sorted(rng.sample(range(len(items)), k=rng.randint(2, len(items))))
    header = rng.choice([f"Kết quả nổi bật năm {year}:", f"Một số kết quả chính trong năm {year}:"])
    lines = [items[k] + (";" if j < len(keep) - 1 else ".") for j, k in enumerate(keep)]
    return "\n".join([header, *lines]), [rows[k] for k in keep]


def _sub_units(rng: random.Random, province: str) -> tuple[str, list[dict]]:
    """Districts of a province reported one by one: each figure is the district's own."""
    (p1, d1), (p2, d2) = rng.sample(SUBUNITS[province], k=2)
    a, b = rng.randint(5_000, 60_000), rng.randint(5_000, 60_000)
    text = f"Trong đó, {p1} {d1} có {grouped(a)} hội viên, {p2} {d2} có {grouped(b)} hội viên."
    return text, [_row("members", a, "count", entity=d1, level="district", province=province),
                  _row("members", b, "count", entity=d2, level="district", province=province)]


def _comparison(rng: random.Random, year: int) -> tuple[str, list[dict]]:
    """A level with its change against an earlier year: the level is a figure, the change is not."""
    c, up = rng.randint(50, 3_000), rng.randint(5, 200)
    return (f"Số dòng họ học tập là {grouped(c)}, tăng {up} dòng họ so với năm {year - 1}.",
            [_row("learning_clans", c, "count", "achieved")])


def make_article(rng: random.Random, index: int) -> tuple[str, dict, list[dict]]:
    prefix, name, level, province = rng.choice(PLACES)
    year = rng.randint(2016, 2024)
    source_id = f"synth-{index:06d}"
    area = f"{prefix} {name}"
    kind = rng.choice(["tổng kết công tác khuyến học năm", "triển khai nhiệm vụ sau tổng kết năm"])
    title = f"Hội Khuyến học {area} {kind} {year}"
    day, month = rng.randint(1, 28), rng.choice([12, 1])
    dated = rng.random() < 0.7  # undated articles: no day in the text, no date in sources.csv
    when = f"Ngày {day}/{month}/{year + (1 if month == 1 else 0)}" if dated else rng.choice(["Sáng nay", "Vừa qua"])
    lines = [title, "", f"{when}, Hội Khuyến học {area} tổ chức hội nghị tổng kết công tác khuyến học năm {year}."]
    truth = []
    body = []
    candidates = _sentences(rng, year) + [_comparison(rng, year)]
    if level == "province":
        candidates.append(_sub_units(rng, province))
    chosen = rng.sample(candidates, k=rng.randint(9, 15))
    short = prefix if prefix != "tỉnh" else "tỉnh"
    for text, rows in chosen:
        body.append(text.replace("{area}", short))
        if rng.random() < 0.5:
            body.append(rng.choice(FILLER))
        truth += rows
    paragraphs, cur = [], []
    for sent in body:
        cur.append(sent)
        if len(cur) >= rng.randint(2, 4):
            paragraphs.append(" ".join(cur))
            cur = []
    if cur:
        paragraphs.append(" ".join(cur))
    if rng.random() < 0.5:
        listing, rows = _label_list(rng, year)
        paragraphs.insert(rng.randint(0, len(paragraphs)), listing)
        truth += rows
    lines += ["", *[p for para in paragraphs for p in (para, "")]]
    lines.append(rng.choice(["PV", "Thu Hòa", "Hoàng Thạc", "Minh Anh"]))
    text = "\n".join(lines) + "\n"
    meta = {"source_id": source_id, "title": title, "outlet": "synthetic", "published": "", "url": ""}
    for r in truth:
        r.update({"source_id": source_id, "optional": "false"})
        for k, v in (("entity", name), ("level", level), ("province", province)):
            r.setdefault(k, v)
    return text, meta, truth


def write_corpus(folder: Path, n: int, seed: int = 20261121) -> tuple[Path, Path, Path]:
    """Write ``n`` articles, ``sources.csv`` and ``truth.csv`` under ``folder``."""
    rng = random.Random(seed)
    articles = Path(folder) / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    metas, truth = [], []
    for i in range(n):
        text, meta, rows = make_article(rng, i)
        (articles / f"{meta['source_id']}.txt").write_text(text, encoding="utf-8")
        metas.append(meta)
        truth += rows
    sources = Path(folder) / "sources.csv"
    with open(sources, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["source_id", "title", "outlet", "published", "url"], lineterminator="\n")
        w.writeheader()
        w.writerows(metas)
    truth_csv = Path(folder) / "truth.csv"
    cols = ["source_id", "entity", "level", "province", "metric", "stage", "value", "value_max", "unit", "bound",
            "optional"]
    with open(truth_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(truth)
    return articles, sources, truth_csv
