"""The grid file read strictly: every unknown table, key or template field refused with its line."""

import re
from pathlib import Path

import pytest

from analysis.reports.grid import GridError, expand, notebook_path, read_spec, slugify

ROWS = [{"entity": "Thái Bình", "metric": "members", "stage": "actual", "subgroup": "", "period_start": "",
         "period_end": f"{y}-12-31"} for y in (2019, 2020)]
PROVINCES = [{"province": "Hà Nam", "cluster": "3"}, {"province": "Bắc Kạn", "cluster": "1"}]


def _spec(tmp_path, text):
    path = tmp_path / "reports.toml"
    path.write_text(text, encoding="utf-8")
    return read_spec(path)


@pytest.mark.parametrize("text,message", [
    ('[[reprot]]\nname = "a"\nnotebook = "overview"\n', "reports.toml line 1: unknown table or key 'reprot'"),
    ('[[report]]\nname = "a"\nnotebook = "overview"\nparametres = { lang = "vi" }\n',
     "reports.toml line 4: [[report]] #1: unknown key 'parametres'"),
    ('[[report]]\nnotebook = "overview"\n', "reports.toml line 1: [[report]] #1 has no 'name'"),
    ('[[report]]\nname = 5\nnotebook = "overview"\n', "reports.toml line 2: name must be text, got 5"),
    ('[[report]]\nname = "../escaped"\nnotebook = "overview"\n', "line 2: report name '../escaped' must be a slug"),
    ('[[report]]\nname = "Overview"\nnotebook = "overview"\n', "must be a slug"),
    ('[[report]]\nname = "a"\nnotebook = "../../../somewhere/evil"\n', "line 3: notebook '../../../somewhere/evil'"),
    ('[[report]]\nname = "a"\nnotebook = "/etc/passwd"\n', "must be a plain name"),
    ('[[each]]\nover = "comparable_entities"\nname = "trends-{slg}"\nnotebook = "trends"\n',
     "line 3: name 'trends-{slg}' uses unknown field {slg}"),
    ('[[each]]\nover = "comparable_entities"\nname = "t-{slug}"\nnotebook = "trends"\n'
     'parameters = { entity = "{item.__class__}" }\n', "uses unknown field {item.__class__}"),
    ('[[each]]\nover = "comparable_entities"\nname = "t-{slug!r}"\nnotebook = "trends"\n', "no format or conversion"),
    ('[[each]]\nover = "everything"\nname = "t-{slug}"\nnotebook = "trends"\n', "line 2: [[each]] over 'everything'"),
    ('[[each]]\nover = "comparable_entities"\nname = "t-{slug}"\nnotebook = "trends"\ncolour = "red"\n',
     "line 5: [[each]] #1: unknown key 'colour'"),
    ('[grid]\nlangs = ["fr"]\n', "line 2: langs must be a list of vi, en"),
    ('[grid]\nlanguages = ["vi"]\n', "line 2: [grid]: unknown key 'languages'"),
    ('title = "x"\n[[report]]\nname = "a"\nnotebook = "o"\n', "line 1: unknown table or key 'title'"),
    ('[[report]]\nname = "a"\nnotebook = "o"\nparameters = { x = { y = 1 } }\n', "parameter 'x' must be text"),
    ('[[report]\n', "reports.toml"),
])
def test_refused_with_the_line(tmp_path, text, message):
    with pytest.raises(GridError) as info:
        _spec(tmp_path, text)
    assert message in str(info.value)


def test_every_problem_is_listed_at_once(tmp_path):
    text = '[[reprot]]\nname = "a"\n\n[[report]]\nname = "B"\nnotebook = "o"\nparametres = {}\n'
    with pytest.raises(GridError) as info:
        _spec(tmp_path, text)
    said = str(info.value)
    assert "line 1" in said and "line 5" in said and "line 7" in said


def test_expansion_and_names(tmp_path):
    spec, langs, lines = _spec(tmp_path, '[grid]\nlangs = ["vi", "en"]\n[defaults]\nlang = "vi"\n'
                                         '[[each]]\nover = "comparable_entities"\nname = "trends-{slug}"\n'
                                         'notebook = "trends"\nparameters = { entity = "{item}" }\n'
                                         '[[each]]\nover = "cluster_provinces"\ncluster = "Cụm III"\n'
                                         'name = "profile-{slug}"\nnotebook = "province_profile"\n'
                                         'parameters = { province = "{item}" }\n')
    assert langs == ("vi", "en")
    reports = expand(spec, lines, ROWS, PROVINCES)
    assert [(r.name, r.parameters) for r in reports] == [
        ("trends-thai-binh", {"lang": "vi", "entity": "Thái Bình"}),
        ("profile-ha-nam", {"lang": "vi", "province": "Hà Nam"})]
    assert "line 5" in reports[0].where


def test_an_area_without_ascii_letters_still_gets_a_slug(tmp_path):
    spec, _, lines = _spec(tmp_path, '[[each]]\nover = "comparable_entities"\nname = "trends-{slug}"\n'
                                     'notebook = "trends"\nparameters = { entity = "{item}" }\n')
    rows = [{**r, "entity": "…"} for r in ROWS]
    (report,) = expand(spec, lines, rows, [])
    assert re.fullmatch(r"trends-x[0-9a-f]{8}", report.name) and report.parameters == {"entity": "…"}


def test_duplicate_names(tmp_path):
    spec, _, lines = _spec(tmp_path, '[[report]]\nname = "a"\nnotebook = "o"\n[[report]]\nname = "a"\nnotebook = "o"\n')
    with pytest.raises(GridError, match="used twice: a"):
        expand(spec, lines, [], [])


def test_notebooks_resolve_inside_their_folder(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "fine.ipynb").write_text("{}")
    outside = tmp_path / "evil.ipynb"
    outside.write_text("{}")
    (folder / "evil.ipynb").symlink_to(outside)
    assert notebook_path("fine", folder) == (folder / "fine.ipynb").resolve()
    with pytest.raises(GridError, match="does not resolve inside"):
        notebook_path("evil", folder)
    with pytest.raises(GridError):
        notebook_path("../evil", folder)


def test_slugify():
    assert slugify("Đông Hưng") == "dong-hung" and slugify("Cụm III") == "cum-iii"
    assert slugify("../x") == "x" and Path(slugify("a/../../b")).name == "a-b"
