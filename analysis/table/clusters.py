"""Emulation clusters (cụm) are written ``Cụm III``, ``cụm 3``, ``III`` or ``3``: one mapping
between them, with no heavy imports (the report grid uses it before any kernel starts)."""

from __future__ import annotations

_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8", "IX": "9",
          "X": "10"}
_ARABIC = {v: k for k, v in _ROMAN.items()}


def cluster_number(cluster: str) -> str:
    """``Cụm III`` / ``cụm 3`` / ``iii`` → ``3`` (the reference tables' form)."""
    token = str(cluster).replace("Cụm", "").replace("cụm", "").strip()
    return _ROMAN.get(token.upper(), token)


def cluster_label(cluster: str) -> str:
    """``3`` / ``iii`` / ``Cụm III`` → ``Cụm III`` (the figures table's entity name)."""
    number = cluster_number(cluster)
    return f"Cụm {_ARABIC.get(number, number)}"
