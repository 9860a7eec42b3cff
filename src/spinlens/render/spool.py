"""Report sections held until the report's head can be written: in memory up to a
few megabytes, then in a temporary file, so a report of a whole crawl stays small
in memory."""

from __future__ import annotations

import shutil
import tempfile
from typing import TextIO

IN_MEMORY = 8 << 20
"""Characters kept in memory before the spool moves to a temporary file."""


class Spool:
    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by copy_to)
            max_size=IN_MEMORY, mode="w+", encoding="utf-8", newline=""
        )

    def write(self, text: str) -> None:
        self.file.write(text)

    def copy_to(self, stream: TextIO) -> None:
        """Write everything spooled to `stream`, and discard it."""
        self.file.seek(0)
        shutil.copyfileobj(self.file, stream)
        self.file.close()
