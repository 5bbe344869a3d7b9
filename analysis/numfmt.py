"""Plain numbers written in each language's convention (``72,000`` / ``72.000``).

A leaf module: the statistics format bounds with it and the report labels re-export it, so
imports run one way (stats never imports reports).
"""

from __future__ import annotations

import math


def format_number(x: float, lang: str = "en", decimals: int | None = None) -> str:
    """72000 → ``72,000`` (en) / ``72.000`` (vi); 99.81 → ``99.81`` / ``99,81``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 or float(x).is_integer() else 2
    text = f"{x:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
