"""Every data file the package reads at run time (templates, styles, schemas, models)
is named by pyproject.toml's package-data, so a wheel carries it."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "spinlens"


def test_package_data_covers_every_non_python_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["spinlens"]
    files = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    missed = [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)]
    assert files and not missed, missed
