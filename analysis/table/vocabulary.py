"""The figures table's vocabulary: metrics and their units, levels, stages, bounds — one home.

Plain constants with no imports, shared by the schema, the semantic checks, the period shapes
and the extractor (which must agree on which metrics are stocks and which are learning models).
"""

from __future__ import annotations

MODELS = ["families", "clans", "communities", "units", "citizens"]
COUNT_METRICS = ["members", "associations", "branches", "promoting_clans", "award_recipients",
                 "donors", "learning_centres"] + [f"learning_{m}" for m in MODELS]
RATE_METRICS = [f"learning_{m}_rate" for m in MODELS] + ["learning_models_rate"]
MONEY_METRICS = ["fund_raised", "awards_paid"]
METRICS = COUNT_METRICS + RATE_METRICS + MONEY_METRICS
MODEL_COUNT_METRICS = [f"learning_{m}" for m in MODELS]  # counts of one learning model
MODEL_METRICS = MODEL_COUNT_METRICS + RATE_METRICS  # every metric whose stage is registered/achieved/target
MODEL_CHOICES = [*MODELS, "models"]  # "models": all learning models together
# levels (a count of units as they stand on a date: period_start empty); a fund balance too
STOCK_METRICS = frozenset({"members", "associations", "branches", "promoting_clans", "learning_centres"})
UNIT_OF_METRIC = {**dict.fromkeys(COUNT_METRICS, "count"), **dict.fromkeys(RATE_METRICS, "percent"),
                  **dict.fromkeys(MONEY_METRICS, "vnd")}
LEVELS = ["national", "cluster", "province", "district", "commune"]
STAGES = ["actual", "registered", "achieved", "target"]
UNITS = ["count", "vnd", "percent"]
BOUNDS = ["exact", "at_least", "at_most", "approx", "range"]
