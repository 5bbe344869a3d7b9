"""The code standard is part of the test suite: ruff (pycodestyle, pyflakes, imports, bugbear,
complexity ≤ 12, docstrings on public names) passes on the package and the tests."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_passes():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed: it comes with `make setup` (the dev extra)"
    done = subprocess.run([ruff, "check", "analysis", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
