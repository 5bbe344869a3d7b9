"""The per-stage timer: every stage reported, the parts add up, the extractor left as it was.
No time is asserted (speed is shown by ``make bench``)."""

from analysis.dev.stages import STAGES, stage_times
from analysis.dev.synth import write_corpus


def test_stages_add_up_and_timers_are_removed(tmp_path):
    import analysis.extraction.extract as extract
    import analysis.extraction.knowledge as knowledge

    fold, read_amount = knowledge.fold, extract._Article._read_amount
    articles, sources, _ = write_corpus(tmp_path, 12, seed=5)
    result = stage_times(articles, sources, sample=12)
    per = result["stages_ms_per_article"]
    assert list(per) == [*STAGES, "other"]
    assert all(v >= 0 for v in per.values())
    assert per["classification"] > 0 and per["cue scan"] > 0 and per["decode"] > 0
    assert abs(sum(per.values()) - result["ms_per_article_instrumented"]) < 0.01 * len(per)
    assert knowledge.fold is fold and extract._Article._read_amount is read_amount
    assert extract.fold is fold  # names imported elsewhere are restored too
