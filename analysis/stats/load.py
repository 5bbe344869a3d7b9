"""Loading the processed tables, validated, joined to the reference tables.

``load_figures()`` is what every notebook starts from: the contract columns (validated by
the schema) plus
- ``period_kind``: ``flow`` (a year, a half-year: start and end), ``stock`` (a level as of a
  date) or ``cumulative`` (a flow metric summed to a date, no start);
- ``year``: the year of ``period_end``;
- ``population_2019``, ``households_2019`` (census; provinces and the known districts),
  ``cluster`` and ``province_2025`` (the province it became on 1 July 2025);
- the article's ``title``, ``outlet``, ``url`` and ``published``;
- ``subgroup_class``, ``subgroup_kind``, ``subgroup_qualifier``, ``subgroup_unknown`` from
  ``analysis/knowledge/subgroups.csv`` (the raw ``subgroup`` is kept).

Each reference table and the figures table are read once (cached on path and modification
time) and copied out, so a render reads ``figures.csv`` once through the schema.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.stats.subgroups import apply_classes
from analysis.table.clusters import cluster_label, cluster_number  # noqa: F401  (re-exported)
from analysis.table.schema import validate
from analysis.table.shapes import period_kind


def _stamp(path: Path) -> tuple[int, int]:
    """The file's version: modification time and size (a rewritten file is read again)."""
    if not path.exists():
        return (-1, -1)
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _read_provinces(path: Path, stamp: tuple) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"code_legacy": str, "code_2025": str, "cluster": str})


@lru_cache(maxsize=8)
def _read_districts(path: Path, stamp: tuple) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"code_legacy": str})


def load_reference(reference_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(provinces, districts) reference tables, read once per file version; copies are returned."""
    ref = Path(reference_dir or paths.REFERENCE_DIR)
    prov, dist = ref / "provinces.csv", ref / "districts.csv"
    return _read_provinces(prov, _stamp(prov)).copy(), _read_districts(dist, _stamp(dist)).copy()


@lru_cache(maxsize=1)
def _legacy_districts() -> pd.DataFrame:
    from vietnamadminunits.database.main import query

    rows = query("SELECT DISTINCT provinceShort AS province, districtShort AS district, districtType AS type "
                 "FROM admin_units_legacy")
    return pd.DataFrame(rows, columns=["province", "district", "type"])


def province_districts(province: str) -> list[str]:
    """The districts of a province in the 63-province system (its last list before 1 July 2025,
    from ``vietnamadminunits``): what "every district covered" is checked against."""
    table = _legacy_districts()
    return sorted(table.loc[table["province"] == province, "district"].unique())


@lru_cache(maxsize=8)
def _read_figures(path: Path, stamp: tuple, shown: str) -> pd.DataFrame:
    from analysis.table.outputs import verify

    data = path.read_bytes()
    verify(path, data, shown=Path(shown))
    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    return validate(raw, where=shown)


def load_figures(path: Path | str | None = None, reference_dir: Path | None = None,
                 articles: Path | str | None = None) -> pd.DataFrame:
    """Read ``figures.csv`` (once per file version, checked against its sidecar's checksum and
    through the schema), join the reference and article tables, and read the subgroup classes.

    The processed set is resolved once (``data/processed/figures.csv`` links through
    ``current``, see :mod:`analysis.table.outputs`): figures and articles come from the same
    extract run even if another run swaps in a new set meanwhile. A table that does not match
    ``figures.meta.json`` raises :class:`~analysis.table.outputs.ChecksumError` naming the file.
    """
    path = Path(path or paths.FIGURES_CSV)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run 'make figures' first")
    real = path.resolve()
    df = _read_figures(real, _stamp(real), str(path)).copy()
    for col in ("entity", "level", "province", "period_start", "period_end", "subgroup"):
        df[col] = df[col].astype(object).where(df[col].notna(), "")
    df["period_kind"] = df.apply(period_kind, axis=1)
    df["year"] = pd.to_numeric(df["period_end"].str[:4], errors="coerce").astype("Int64")
    provinces, districts = load_reference(reference_dir)
    df = _join_reference(df, provinces, districts)
    art_path = Path(articles) if articles else real.parent / "articles.csv"
    if art_path.exists():
        arts = pd.read_csv(art_path, dtype=str, keep_default_na=False)[["source_id", "title", "outlet", "url", "published"]]
        df = df.merge(arts, on="source_id", how="left")
    else:
        for col in ("title", "outlet", "url", "published"):
            df[col] = ""
    for col in ("title", "outlet", "url", "published"):
        df[col] = df[col].fillna("")
    return apply_classes(df)


def _join_reference(df: pd.DataFrame, provinces: pd.DataFrame, districts: pd.DataFrame) -> pd.DataFrame:
    """Cluster and 2025 successor by province; census population and households by entity."""
    prov = provinces[["province", "cluster", "province_2025"]]
    out = df.merge(prov, on="province", how="left")
    census = ["population_2019", "households_2019"]
    by_province = provinces.rename(columns={"province": "entity"})[["entity", *census]].assign(level="province")
    by_district = districts.rename(columns={"district": "entity"})[["entity", "province", *census]].assign(level="district")
    by_province["province"] = by_province["entity"]
    out = out.merge(pd.concat([by_province, by_district]), on=["entity", "level", "province"], how="left")
    out[census] = out[census].astype(float)
    out["cluster"] = out["cluster"].fillna("")
    out["province_2025"] = out["province_2025"].fillna("")
    return out


def load_residue(folder: Path | None = None) -> pd.DataFrame:
    """The numbers that are not figures, with their reason (empty if absent)."""
    return _optional(Path(folder or paths.PROCESSED_DIR) / "residue.csv")


def load_articles(folder: Path | None = None) -> pd.DataFrame:
    """The article table (empty if absent)."""
    return _optional(Path(folder or paths.PROCESSED_DIR) / "articles.csv")


def load_rejected(folder: Path | None = None) -> pd.DataFrame:
    """Extractor rows quarantined for breaking the contract (the row and the ``rule``)."""
    return _optional(Path(folder or paths.PROCESSED_DIR) / "rejected.csv")


def load_trace(folder: Path | None = None) -> pd.DataFrame:
    """How each figure was placed (``figures_trace.csv``, keyed ``source_id, start, metric``,
    with a ``fallback`` column); empty if absent."""
    return _optional(Path(folder or paths.PROCESSED_DIR) / "figures_trace.csv")


def load_curation_log(folder: Path | None = None) -> pd.DataFrame:
    """The curation log (empty if absent)."""
    return _optional(Path(folder or paths.PROCESSED_DIR) / "curation_log.csv")


def _optional(path: Path) -> pd.DataFrame:
    """A processed side table, checked against its set's sidecar; empty when absent."""
    from analysis.table.outputs import read_verified

    if not path.exists():
        return pd.DataFrame()
    _, data = read_verified(path)
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def cluster_provinces(cluster: str, reference_dir: Path | None = None,
                      provinces: pd.DataFrame | None = None) -> list[str]:
    """Member provinces of a cluster (``Cụm III`` or ``3``), in reference order."""
    if provinces is None:
        provinces, _ = load_reference(reference_dir)
    number = cluster_number(cluster)
    return provinces.loc[provinces["cluster"] == number, "province"].tolist()
