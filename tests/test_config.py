"""Settings: defaults, a TOML file, SPINLENS_* variables and options, in that order."""

from __future__ import annotations

import pytest

from spinlens.config import Settings, load_settings
from spinlens.constants import DEFAULT_BATCH_SIZE, DEFAULT_MAX_BYTES, DEFAULT_MODEL

TOML = """\
db = "sqlite:////data/news.db"
spacy_model = "en_core_web_md"
max_bytes = 20000000
batch_size = 64
workers = 3
"""


@pytest.fixture(autouse=True)
def no_workers_variable(monkeypatch):
    """The suite sets SPINLENS_WORKERS=1 (conftest); these tests read the defaults."""
    monkeypatch.delenv("SPINLENS_WORKERS")


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "spinlens.toml"
    path.write_text(TOML, encoding="utf-8")
    return path


def test_defaults_without_any_file():
    assert load_settings() == Settings()
    assert Settings() == Settings(None, DEFAULT_MODEL, DEFAULT_MAX_BYTES, DEFAULT_BATCH_SIZE, None)


def test_toml_file(config):
    settings = load_settings(str(config))
    assert settings == Settings("sqlite:////data/news.db", "en_core_web_md", 20_000_000, 64, 3)


def test_config_from_environment_variable(config, monkeypatch):
    monkeypatch.setenv("SPINLENS_CONFIG", str(config))
    assert load_settings().batch_size == 64


def test_environment_overrides_file_and_options_override_environment(config, monkeypatch):
    monkeypatch.setenv("SPINLENS_DB", "sqlite:////tmp/from-env.db")
    monkeypatch.setenv("SPINLENS_BATCH_SIZE", "8")
    settings = load_settings(str(config))
    assert settings.db == "sqlite:////tmp/from-env.db"
    assert settings.batch_size == 8
    assert settings.max_bytes == 20_000_000  # still from the file
    settings = load_settings(str(config), db="sqlite:////tmp/option.db", batch_size=None)
    assert settings.db == "sqlite:////tmp/option.db"
    assert settings.batch_size == 8  # None options do not override


def test_unknown_key_in_file_is_an_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('db = "sqlite://"\ncolour = "blue"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.toml: unknown setting\(s\) colour"):
        load_settings(str(path))


def test_wrong_types_are_errors(tmp_path, monkeypatch):
    path = tmp_path / "typed.toml"
    path.write_text('max_bytes = "lots"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="max_bytes must be int"):
        load_settings(str(path))
    monkeypatch.setenv("SPINLENS_BATCH_SIZE", "many")
    with pytest.raises(ValueError, match="environment: batch_size must be int"):
        load_settings()


def test_invalid_toml_and_missing_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("db = [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_settings(str(path))
    with pytest.raises(OSError):
        load_settings(str(tmp_path / "missing.toml"))


@pytest.mark.parametrize("value", [0, -5])
def test_batch_size_must_be_positive(value, monkeypatch):
    """batch_size 0 (e.g. SPINLENS_BATCH_SIZE=0) makes `analyze` read nothing and
    exit 0; a negative one crashes in itertools.islice. Settings must reject both."""
    with pytest.raises(ValueError, match="batch_size"):
        load_settings(batch_size=value)
    monkeypatch.setenv("SPINLENS_BATCH_SIZE", str(value))
    with pytest.raises(ValueError, match="batch_size"):
        load_settings()
