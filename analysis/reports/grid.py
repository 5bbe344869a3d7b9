"""The report grid (``reports/reports.toml``): read strictly, expand ``[[each]]`` over the data.

Every table and key the file may hold is listed here; anything else (``[[reprot]]``,
``parametres``, ``name = 5``, a template field other than ``{item}``/``{slug}``) is refused with
its line, before any kernel starts. Report names are slugs and notebooks resolve inside the
notebooks folder, so nothing in the grid can write or run outside its folders. Plain Python only:
a no-op render must not import pandas.
"""

from __future__ import annotations

import hashlib
import re
import string
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.table.clusters import cluster_number

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NOTEBOOK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
TOP_KEYS = ("grid", "defaults", "report", "each")
GRID_KEYS = ("langs",)
REPORT_KEYS = ("name", "notebook", "parameters")
EACH_KEYS = ("over", "cluster", "name", "notebook", "parameters")
OVERS = ("comparable_entities", "cluster_provinces")
TEMPLATE_FIELDS = ("item", "slug")
DEFAULT_LANGS = ("vi", "en")


class GridError(ValueError):
    """The grid names something that cannot run; the message names the line, report or key."""


@dataclass
class Report:
    """One entry of the grid after expansion: an output name, a notebook and its parameters."""

    name: str
    notebook: str
    parameters: dict = field(default_factory=dict)
    where: str = ""  # "reports.toml line 12" — for messages


@dataclass
class Grid:
    """The expanded grid: its reports and the languages each report is rendered in."""

    reports: list[Report]
    langs: tuple[str, ...] = DEFAULT_LANGS


def slugify(text: str) -> str:
    """``Thái Bình`` → ``thai-binh`` (ASCII, lower case, hyphens)."""
    text = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# -- where in the file --------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


class _Lines:
    """Line numbers of tables and keys in the TOML text (tomllib gives none)."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.headers = [(i + 1, m.group(1).strip().strip('"')) for i, line in enumerate(self.lines)
                        if (m := _HEADER.match(line))]

    def of_table(self, table: str, index: int = 0) -> int | None:
        """The line of the ``index``-th header named ``table``."""
        found = [n for n, name in self.headers if name == table]
        return found[index] if index < len(found) else None

    def of_key(self, table: str | None, index: int, key: str) -> int | None:
        """The line of ``key`` inside the ``index``-th ``table`` (None: before any table)."""
        start = 0 if table is None else self.of_table(table, index)
        if start is None:
            return None
        ends = [n for n, _ in self.headers if n > start]
        end = ends[0] - 1 if ends else len(self.lines)
        pattern = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=')
        for n in range(start + 1 if table else 1, end + 1):
            if pattern.match(self.lines[n - 1]):
                return n
        return start or None

    def at(self, line: int | None) -> str:
        """``reports.toml line 12`` (or just the file when the line is unknown)."""
        return f"{self.path} line {line}" if line else str(self.path)


# -- checking the raw tables ------------------------------------------------------------------

def _unknown_keys(entry: Mapping, known: tuple[str, ...], table: str | None, index: int, lines: _Lines) -> list[str]:
    label = f"[[{table}]] #{index + 1}" if table in ("report", "each") else f"[{table}]" if table else "top level"
    return [f"{lines.at(lines.of_key(table, index, k))}: {label}: unknown key {k!r} "
            f"(known: {', '.join(known)})" for k in entry if k not in known]


def _template_problems(text: str, where: str, key: str) -> list[str]:
    try:
        names = [f for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
        specs = [(spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return [f"{where}: {key} {text!r} is not a valid template ({exc})"]
    bad = [n for n in names if n not in TEMPLATE_FIELDS]
    if bad:
        return [f"{where}: {key} {text!r} uses unknown field {{{bad[0]}}} (known: "
                f"{', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)})"]
    if any(spec or conv for spec, conv in specs):
        return [f"{where}: {key} {text!r}: template fields take no format or conversion"]
    return []


def _value_problems(params, where: str) -> list[str]:
    if not isinstance(params, dict):
        return [f"{where}: parameters must be a table, got {params!r}"]
    problems = []
    for k, v in params.items():
        values = v if isinstance(v, list) else [v]
        if not all(isinstance(x, str | int | float | bool) for x in values):
            problems.append(f"{where}: parameter {k!r} must be text, a number, true/false or a list of those")
    return problems


def _entry_problems(entry, table: str, index: int, lines: _Lines) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{lines.at(lines.of_table(table, index))}: [[{table}]] must be a table"]
    known = REPORT_KEYS if table == "report" else EACH_KEYS
    problems = _unknown_keys(entry, known, table, index, lines)
    required = _required_problems(entry, table, index, lines)
    if required:
        return problems + required
    where = lines.at(lines.of_key(table, index, "parameters"))
    problems += _value_problems(entry.get("parameters", {}), where)
    problems += _notebook_problems(entry["notebook"], lines.at(lines.of_key(table, index, "notebook")))
    if table == "report":
        problems += _name_problems(entry["name"], lines.at(lines.of_key(table, index, "name")))
    else:
        problems += _each_problems(entry, index, lines)
    return problems


def _required_problems(entry: dict, table: str, index: int, lines: _Lines) -> list[str]:
    problems = []
    for key in ("name", "notebook") + (("over",) if table == "each" else ()):
        if key not in entry:
            problems.append(f"{lines.at(lines.of_table(table, index))}: [[{table}]] #{index + 1} has no {key!r}")
        elif not isinstance(entry[key], str):
            problems.append(f"{lines.at(lines.of_key(table, index, key))}: {key} must be text, got {entry[key]!r}")
    return problems


def _each_problems(entry: dict, index: int, lines: _Lines) -> list[str]:
    problems = _template_problems(entry["name"], lines.at(lines.of_key("each", index, "name")), "name")
    params = entry.get("parameters", {})
    if isinstance(params, dict):
        where = lines.at(lines.of_key("each", index, "parameters"))
        for k, v in params.items():
            if isinstance(v, str):
                problems += _template_problems(v, where, f"parameter {k!r}")
    if entry["over"] not in OVERS:
        problems.append(f"{lines.at(lines.of_key('each', index, 'over'))}: [[each]] over {entry['over']!r} "
                        f"is not known ({' or '.join(OVERS)})")
    if entry["over"] == "cluster_provinces" and not isinstance(entry.get("cluster"), str):
        problems.append(f"{lines.at(lines.of_table('each', index))}: [[each]] over cluster_provinces "
                        "needs cluster = \"Cụm …\"")
    return problems


def _name_problems(name: str, where: str) -> list[str]:
    if SLUG.fullmatch(name):
        return []
    return [f"{where}: report name {name!r} must be a slug: lower-case a–z, digits and single hyphens "
            "(it becomes a file name in the output folder)"]


def _notebook_problems(notebook: str, where: str) -> list[str]:
    if not NOTEBOOK_NAME.fullmatch(notebook):
        return [f"{where}: notebook {notebook!r} must be a plain name of a notebook in notebooks/ "
                "(letters, digits, _ and -; no folders, no '..')"]
    return []


def notebook_path(notebook: str, notebooks_dir: Path) -> Path:
    """The notebook's file, refused unless it resolves inside ``notebooks_dir``."""
    folder = Path(notebooks_dir).resolve()
    path = (folder / f"{notebook}.ipynb").resolve()
    if not NOTEBOOK_NAME.fullmatch(notebook) or path.parent != folder:
        raise GridError(f"notebook {notebook!r} does not resolve inside {folder}")
    return path


def _grid_langs(spec: dict, lines: _Lines, known_langs: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    section = spec.get("grid", {})
    if not isinstance(section, dict):
        return DEFAULT_LANGS, [f"{lines.at(None)}: grid must be a table"]
    problems = _unknown_keys(section, GRID_KEYS, "grid", 0, lines)
    langs = section.get("langs", list(DEFAULT_LANGS))
    known = tuple(known_langs)
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and x in known for x in langs):
        problems.append(f"{lines.at(lines.of_key('grid', 0, 'langs'))}: langs must be a list of "
                        f"{', '.join(known)} (the first is the landing page), got {langs!r}")
        langs = list(DEFAULT_LANGS)
    return tuple(dict.fromkeys(langs)), problems


def read_spec(grid_path: Path, known_langs: Iterable[str] = DEFAULT_LANGS) -> tuple[dict, tuple[str, ...], _Lines]:
    """Parse and check the raw grid; raise ``GridError`` listing every problem with its line."""
    grid_path = Path(grid_path)
    try:
        text = grid_path.read_text(encoding="utf-8")
        spec = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GridError(f"{grid_path}: {exc}") from None
    lines = _Lines(grid_path, text)
    problems = []
    for key in spec:
        if key not in TOP_KEYS:
            line = lines.of_table(key) or lines.of_key(None, 0, key)
            problems.append(f"{lines.at(line)}: unknown table or key {key!r} (known: {', '.join(TOP_KEYS)})")
    langs, found = _grid_langs(spec, lines, known_langs)
    problems += found
    defaults = spec.get("defaults", {})
    problems += _value_problems(defaults, lines.at(lines.of_table("defaults")))
    for table in ("report", "each"):
        entries = spec.get(table, [])
        if not isinstance(entries, list):
            problems.append(f"{lines.at(lines.of_key(None, 0, table))}: {table} must be written [[{table}]]")
            continue
        for i, entry in enumerate(entries):
            problems += _entry_problems(entry, table, i, lines)
    if problems:
        raise GridError("the grid cannot run:\n  " + "\n  ".join(problems))
    return spec, langs, lines


def expand(spec: dict, lines: _Lines, rows: list[Mapping], provinces: list[Mapping]) -> list[Report]:
    """The grid's reports, ``[[each]]`` expanded over comparable entities or a cluster's provinces."""
    from analysis.table.shapes import comparable_entities

    defaults = spec.get("defaults", {})
    reports = [Report(r["name"], r["notebook"], {**defaults, **r.get("parameters", {})},
                      lines.at(lines.of_table("report", i)))
               for i, r in enumerate(spec.get("report", []))]
    problems = []
    for i, each in enumerate(spec.get("each", [])):
        where = lines.at(lines.of_table("each", i))
        if each["over"] == "comparable_entities":
            items = comparable_entities(rows)
        else:
            number = cluster_number(each["cluster"])
            items = [p["province"] for p in provinces if p.get("cluster") == number]
        for item in items:
            fill = {"item": item, "slug": slugify(item) or "x" + hashlib.sha256(item.encode()).hexdigest()[:8]}
            params = {k: (v.format(**fill) if isinstance(v, str) else v)
                      for k, v in each.get("parameters", {}).items()}
            name = each["name"].format(**fill)
            problems += _name_problems(name, where)
            reports.append(Report(name, each["notebook"], {**defaults, **params}, where))
    names = [r.name for r in reports]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"{lines.path}: report names used twice: {', '.join(dupes)}")
    if problems:
        raise GridError("the grid cannot run:\n  " + "\n  ".join(problems))
    return reports
