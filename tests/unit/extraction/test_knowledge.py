"""Every cue with an example sentence must do what its row says (adding a synonym = one row)."""

import pytest

from analysis.extraction.extract import SourceMeta, extract_article
from analysis.extraction.knowledge import fold, read_cues

META = SourceMeta("t", title="Hội Khuyến học huyện Gia Bình tổng kết năm 2023")
EXAMPLES = [c for c in read_cues() if c.example and c.expect]


def test_fold_keeps_length_and_unifies_spellings():
    for a, b in [("Quỹ khuyến học", "quĩ khuiến học"), ("Hoà Bình", "hòa bình"), ("đăng ký", "đăng kí")]:
        assert len(fold(a)) == len(a)
        assert fold(a) == fold(b)


@pytest.mark.parametrize("cue", EXAMPLES, ids=[f"{c.kind}:{c.cue}" for c in EXAMPLES])
def test_cue_example(cue):
    res = extract_article(cue.example, META)
    key, _, want = cue.expect.partition("=")
    if key == "residue":
        assert not res.figures, res.figures
        assert any(want in r.reason for r in res.residue), [r.reason for r in res.residue]
        return
    assert res.figures, f"{cue.example!r} gave no figure"
    if key in ("stage", "bound", "entity"):
        assert getattr(res.figures[0], key) == want
    else:
        assert any(f.metric == key and f.value == float(want) for f in res.figures), \
            [(f.metric, f.value) for f in res.figures]


def test_cue_table_is_clean():
    seen = set()
    for c in read_cues():
        assert c.cue == c.cue.strip() and c.cue
        assert (c.kind, fold(c.cue)) not in seen, f"duplicate cue {c.kind}:{c.cue}"
        seen.add((c.kind, fold(c.cue)))


def test_one_automaton_pass_finds_what_each_kinds_regex_finds():
    """CueIndex reads whole-article matches of every kind from one Aho–Corasick pass; they must be
    exactly the regex scan's: whitespace runs inside cues, words running on, starts inside a
    word, overlaps, exceptions (not_<kind>)."""
    import random

    from analysis.extraction.knowledge import fold, knowledge

    kn = knowledge()
    texts = [fold("Toàn huyện có 1.234 hội viên,  ban khuyến\nhọc dòng   họ; Chi hội_xã 5xã, tp.Hà"),
             fold("  Hội Khuyến học xã đăng ký đạt danh hiệu\tGia đình học tập, đạt chỉ tiêu đề ra."),
             "", "_", "xã"]
    cues = [c for k in kn.kinds() for c in kn.values(k)]
    rng = random.Random(11)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 10)):
            c = rng.choice(cues)
            c = c.replace(" ", rng.choice([" ", "  ", "\n", "\t "])) if rng.random() < 0.3 else c
            parts += [c[:rng.randint(1, len(c))] if rng.random() < 0.2 else c,
                      rng.choice([" ", "\n\n", "_", "a", "1", ".", "", "\xa0"])]
        texts.append("".join(parts))
    served = 0
    for t in texts:
        every = kn.scan_all(t)
        for kind in kn.kinds():
            got = every.find(kind)
            if got is not None:
                served += 1
                assert got == kn.find(kind, t), (kind, t)
    assert served > len(texts) * 10  # the automaton serves most kinds
