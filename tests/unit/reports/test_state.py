"""The render cache key covers every input; the atomic writer leaves nothing behind on a full disk."""

import errno

import pytest

from analysis.reports import state as st


def test_key_covers_every_input(tmp_path):
    processed, reference = tmp_path / "processed", tmp_path / "reference"
    processed.mkdir()
    reference.mkdir()
    figures = processed / "figures.csv"
    figures.write_text("f\n", encoding="utf-8")
    (processed / "articles.csv").write_text("a\n", encoding="utf-8")
    (reference / "provinces.csv").write_text("p\n", encoding="utf-8")
    lock = tmp_path / "requirements.lock"
    lock.write_text("x==1\n", encoding="utf-8")

    def key(nb=b"nb", params=None):
        return st.report_key(nb, params or {"lang": "vi"}, st.shared_inputs(figures, reference, lock))

    base = key()
    assert key() == base
    assert key(nb=b"nb2") != base and key(params={"lang": "en"}) != base
    for path, text in [(figures, "f2\n"), (processed / "articles.csv", "a2\n"), (reference / "provinces.csv", "p2\n"),
                       (lock, "x==2\n")]:
        old = path.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        assert key() != base, path.name
        path.write_text(old, encoding="utf-8")
    (reference / "districts.csv").write_text("d\n", encoding="utf-8")
    assert key() != base
    assert set(st.shared_inputs(figures, reference, lock)) == {"figures", "articles", "reference", "package", "lock"}


def test_full_disk_leaves_no_tmp(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("last good", encoding="utf-8")

    def full(f, text):
        f.write(text[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(st, "_write", full)
    with pytest.raises(st.DiskFull, match="no space left on the device while writing .*page.html"):
        st.write_atomic(target, "new page " * 100)
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
    assert target.read_text(encoding="utf-8") == "last good"


def test_state_saved_per_page(tmp_path):
    state = st.State(tmp_path)
    (tmp_path / "a.html").write_text("x", encoding="utf-8")
    state.record("a", {"key": "k", "status": "ok", "rendered_at": "t1"})
    again = st.State(tmp_path)
    assert again.fresh("a", "k", tmp_path) and not again.fresh("a", "other", tmp_path)
    again.record("a", {"key": "", "status": "failed", "rendered_at": "t2"})
    assert st.State(tmp_path).pages["a"]["last_good"] == "t1"
    (tmp_path / st.STATE_FILE).write_text("{broken", encoding="utf-8")
    assert st.State(tmp_path).pages == {}
