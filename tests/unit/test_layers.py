"""Imports run one way, bottom to top: table ← extraction, table ← stats ← reports ← cli; dev may
use extraction. A module never imports from a sub-package above its own (checked on the source,
including imports inside functions)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "analysis"
# what each sub-package may import from, besides itself and the top-level leaf modules
ALLOWED = {
    "table": set(),
    "extraction": {"table"},
    "stats": {"table"},
    "reports": {"table", "stats"},
    "dev": {"table", "extraction", "stats", "reports"},
}
LEAVES = {"paths", "numfmt", "__version__"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("analysis"))
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_run_one_way(layer):
    wrong = []
    for module in sorted((PACKAGE / layer).glob("*.py")):
        for name in _imports(module):
            parts = name.split(".")
            target = parts[1] if len(parts) > 1 else ""
            if target in ALLOWED or target == "cli":
                if target != layer and target not in ALLOWED[layer]:
                    wrong.append(f"{module.relative_to(PACKAGE.parent)} imports {name}")
            elif target and target not in LEAVES and not (PACKAGE / f"{target}.py").exists():
                wrong.append(f"{module.relative_to(PACKAGE.parent)} imports unknown {name}")
    assert not wrong, "\n".join(wrong)


def test_leaf_modules_import_nothing_from_the_package():
    for leaf in ("paths", "numfmt"):
        assert not {n for n in _imports(PACKAGE / f"{leaf}.py") if n != "analysis"}, leaf
