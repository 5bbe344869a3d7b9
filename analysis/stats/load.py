"""Loading the processed tables, validated, joined to the reference tables.

``load_figures()`` is what every notebook starts from: the contract columns (validated by
the schema) plus
- ``period_kind``: ``flow`` (a year, a half-year: start and end), ``stock`` (a level as of a
  date) or ``cumulative`` (a flow metric summed to a date, no start);
- ``year``: the year of ``period_end``;
- ``population_2019``, ``households_2019`` (census; provinces and the known districts),
  ``cluster`` and ``province_2025`` (the province it became on 1 July 2025);
- the article's ``title``, ``outlet``, ``url`` and ``published``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.table.clusters import cluster_label, cluster_number  # noqa: F401  (re-exported)
from analysis.table.schema import validate
from analysis.table.shapes import period_kind


def load_reference(reference_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    ref = Path(reference_dir or paths.REFERENCE_DIR)
    provinces = pd.read_csv(ref / "provinces.csv", dtype={"code_legacy": str, "code_2025": str, "cluster": str})
    districts = pd.read_csv(ref / "districts.csv", dtype={"code_legacy": str})
    return provinces, districts


def load_figures(path: Path | str | None = None, reference_dir: Path | None = None,
                 articles: Path | str | None = None) -> pd.DataFrame:
    """Read ``figures.csv``, check it against its sidecar's checksum, validate it, and join the
    reference and article tables.

    The set is resolved once (:func:`analysis.table.outputs.set_folder`): figures and articles
    come from the same extract run even if another run swaps in a new set meanwhile. A table
    that does not match ``figures.meta.json`` raises
    :class:`~analysis.table.outputs.ChecksumError` naming the file.
    """
    from analysis.table.outputs import read_verified

    path = Path(path or paths.FIGURES_CSV)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run 'make figures' first")
    real, data = read_verified(path)
    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    df = validate(raw, where=str(path))
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
    return df


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
    return _optional(Path(folder or paths.PROCESSED_DIR) / "residue.csv")


def load_articles(folder: Path | None = None) -> pd.DataFrame:
    return _optional(Path(folder or paths.PROCESSED_DIR) / "articles.csv")


def load_rejected(folder: Path | None = None) -> pd.DataFrame:
    """Extractor rows quarantined for breaking the contract (the row and the ``rule``)."""
    return _optional(Path(folder or paths.PROCESSED_DIR) / "rejected.csv")


def load_curation_log(folder: Path | None = None) -> pd.DataFrame:
    return _optional(Path(folder or paths.PROCESSED_DIR) / "curation_log.csv")


def _optional(path: Path) -> pd.DataFrame:
    """A processed side table, checked against its set's sidecar; empty when absent."""
    from analysis.table.outputs import read_verified

    if not path.exists():
        return pd.DataFrame()
    _, data = read_verified(path)
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def cluster_provinces(cluster: str, reference_dir: Path | None = None) -> list[str]:
    """Member provinces of a cluster (``Cụm III`` or ``3``), in reference order."""
    provinces, _ = load_reference(reference_dir)
    number = cluster_number(cluster)
    return provinces.loc[provinces["cluster"] == number, "province"].tolist()
