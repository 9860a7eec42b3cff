"""Settings: defaults, overridden by a TOML file, then SPINLENS_* variables, then options.

Example ``spinlens.toml``::

    db = "sqlite:////data/news.db"
    spacy_model = "en_core_web_md"
    max_bytes = 20000000
    batch_size = 64
    workers = 2
    research_models = true
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from spinlens.constants import DEFAULT_BATCH_SIZE, DEFAULT_MAX_BYTES, DEFAULT_MODEL


@dataclass(frozen=True)
class Settings:
    db: str | None = None
    """Store URL (SQLAlchemy); None: a SQLite file in the user's data directory."""
    spacy_model: str = DEFAULT_MODEL
    """Name of any installed spaCy pipeline used for English articles."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest document (file, JSON line or WARC record) read, in bytes."""
    batch_size: int = DEFAULT_BATCH_SIZE
    """Articles analysed and stored per transaction."""
    workers: int | None = None
    """Processes running the pipeline; None: one per core."""
    research_models: bool = False
    """Also run models trained on research-only data (SemEval-2023: genre, frames,
    persuasion techniques); see their model cards."""


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir("spinlens")) / "spinlens.toml"


def load_settings(config: str | None = None, **options: Any) -> Settings:
    """Settings from the config file (``--config``, $SPINLENS_CONFIG or the user's
    config directory), environment variables and finally the given options."""
    settings = Settings()
    path = Path(config or os.environ.get("SPINLENS_CONFIG") or default_config_path())
    if config or path.is_file():
        with path.open("rb") as handle:
            settings = merge(settings, tomllib.load(handle), str(path))
    env = {
        f.name: os.environ[f"SPINLENS_{f.name.upper()}"]
        for f in fields(Settings)
        if f"SPINLENS_{f.name.upper()}" in os.environ
    }
    settings = merge(settings, env, "environment")
    return merge(settings, {k: v for k, v in options.items() if v is not None}, "options")


def merge(settings: Settings, values: dict[str, Any], origin: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"{origin}: unknown setting(s) {', '.join(sorted(unknown))}")
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if known[name].type in (bool, "bool"):
            typed[name] = as_bool(value, f"{origin}: {name}")
            continue
        kind = int if name in ("max_bytes", "batch_size", "workers") else str
        try:
            typed[name] = kind(value)
        except ValueError as exc:
            raise ValueError(f"{origin}: {name} must be {kind.__name__}") from exc
        if kind is int and typed[name] < 1:
            raise ValueError(f"{origin}: {name} must be at least 1")
    return replace(settings, **typed)


def as_bool(value: Any, where: str) -> bool:
    """A TOML boolean, or an environment value such as 1/0, true/false, yes/no."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{where} must be true or false")
