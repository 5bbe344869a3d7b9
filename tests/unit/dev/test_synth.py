import csv

from analysis.dev.synth import write_corpus


def test_corpus_is_deterministic_and_has_truth(tmp_path):
    a, _, truth_a = write_corpus(tmp_path / "a", 5, seed=7)
    b, _, truth_b = write_corpus(tmp_path / "b", 5, seed=7)
    assert [p.read_bytes() for p in sorted(a.glob("*.txt"))] == [p.read_bytes() for p in sorted(b.glob("*.txt"))]
    assert truth_a.read_bytes() == truth_b.read_bytes()
    with open(truth_a, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len({r["source_id"] for r in rows}) == 5
    assert {"members", "fund_raised"} & {r["metric"] for r in rows}


def test_articles_have_realistic_length(tmp_path):
    articles, _, _ = write_corpus(tmp_path, 20, seed=3)
    lengths = sorted(len(p.read_text(encoding="utf-8")) for p in articles.glob("*.txt"))
    assert 800 <= lengths[len(lengths) // 2] <= 6000
