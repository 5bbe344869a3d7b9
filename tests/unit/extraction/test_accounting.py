"""Every digit run of a text ends in a figure or in the residue — on seeded random hostile text."""

import random
import re

import pytest

from analysis.extraction.extract import SourceMeta, extract_article
from analysis.extraction.textio import normalise

PIECES = ["1000.000", "5.5.5", "1.2.3.4", "12,5,6", "A12B", "4.8", "72.000", "99,81%", "1,5 tỷ đồng",
          "61 triệu 600 nghìn đồng", "80-90%", "21/22", "12.222/18.734", "0228.3.870.519", "30/6/2017",
          "2019–2024", "1" + "0" * 30, "9.999.999.999.999.999", "3,", ".5", "0,", "1.", "12..34", "1,,2",
          "2\u200f1", "\u202e111\u202c", "4\u200b.\u200b560", "１２", "١٢٣", "7\u00ad0", "6 tháng đầu năm 2023"]
NOUNS = ["hội viên", "chi hội", "dòng họ khuyến học", "gia đình học tập", "đồng", "%", "người", "", "lượt"]
LEADS = ["Toàn huyện có ", "Năm 2023 xã đạt ", "Quỹ khuyến học vận động được ", "Có hơn ", "Tính đến nay, ",
         "Khoảng ", "", "Phấn đấu đến năm 2025 có "]


def sentence(rng: random.Random) -> str:
    parts = [rng.choice(LEADS)]
    for _ in range(rng.randint(1, 4)):
        parts.append(rng.choice(PIECES) + " " + rng.choice(NOUNS))
        parts.append(rng.choice([", ", "; ", " và ", " ", "."]))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(40))
def test_every_digit_run_is_accounted_for(seed):
    rng = random.Random(seed)
    raw = "Hội Khuyến học huyện Kim Bảng\n" + " ".join(sentence(rng) for _ in range(12))
    text, _ = normalise(raw)
    res = extract_article(text, SourceMeta(f"fuzz-{seed}"))
    spans = [(f.start, f.end) for f in res.figures] + [(r.start, r.end) for r in res.residue]
    for m in re.finditer(r"\d+", text):
        assert any(a <= m.start() and m.end() <= b for a, b in spans), \
            f"{m.group()!r} at {m.start()} lost in: {text[max(0, m.start() - 40):m.end() + 40]!r}"
    for r in res.residue:
        assert r.reason and len(r.quote) <= 300
