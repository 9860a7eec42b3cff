"""What the command-line modules share: option texts and the settings a command runs with.

Imports nothing heavy, so that every command's --help is quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from spinlens.constants import TAXONOMIES

if TYPE_CHECKING:
    from spinlens.config import Settings

DB_HELP = (
    "Store URL (SQLAlchemy), e.g. sqlite:///news.db; default: a SQLite file in the user data dir."
)


def metadata_file_option(help_text: str) -> Any:
    """`--metadata FILE.csv` (read by `spinlens.readers.metadata.read_metadata`)."""
    return click.option(
        "--metadata",
        "metadata_file",
        type=click.Path(dir_okay=False, exists=True),
        help=help_text,
    )


research_models_option = click.option(
    "--research-models",
    is_flag=True,
    default=None,
    help="Also run models trained on research-only data (SemEval-2023 genre, frames, "
    "persuasion); for scientific research only, see their model cards.",
)
"""The opt-in to research-only models (config key `research_models`)."""

taxonomy_option = click.option(
    "--taxonomy",
    type=click.Choice(TAXONOMIES),
    default="all",
    show_default=True,
    help="Technique layers the html and md reports show: PTC `techniques`, "
    "SemEval-2023 `persuasion`, or all.",
)
"""Which taxonomy the reports show (docs/taxonomies.md)."""


min_score_option = click.option(
    "--min-score",
    type=click.FloatRange(0.0, 1.0),
    help="Leave out technique marks scoring below this (scores are calibrated). "
    "Default: json, jsonl and ptc keep every mark; the html and md reports start "
    "from the model's display threshold (marks shown reach SI precision 0.50).",
)
"""Which technique marks an output keeps (docs/output-format.md)."""


records_format_option = click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
"""JSON Lines or CSV records (lists and objects as JSON cells)."""

output_option = click.option(
    "-o", "--output", default="-", help="Output file; - for standard output."
)


def settings_from(ctx: click.Context, **options: object) -> Settings:
    """The settings of the command: the --config file of the `spinlens` group (when
    there is one), the environment, then `options`; bad ones are a usage error."""
    from spinlens.config import load_settings

    try:
        return load_settings((ctx.obj or {}).get("config"), **options)
    except (OSError, ValueError) as exc:
        raise click.UsageError(f"configuration: {exc}") from exc
