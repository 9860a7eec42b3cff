"""Components that read only the text run side by side in threads.

spaCy's parser and ONNX Runtime both spend most of their time in native code that
releases the GIL, so the encoder pass overlaps the spaCy pass on a 2-core machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait

from spinlens.model import Article
from spinlens.pipeline import Component


class Concurrently:
    """Runs independent components on the same batch at once; each adds its own layer."""

    def __init__(self, components: Sequence[Component]):
        self.components = list(components)
        self.name = "+".join(c.name for c in self.components)
        self.version = "+".join(c.version for c in self.components)
        self.requires = tuple(r for c in self.components for r in getattr(c, "requires", ()))
        self.assigns = tuple(a for c in self.components for a in getattr(c, "assigns", ()))
        self.pool = ThreadPoolExecutor(max_workers=len(self.components))

    def __call__(self, articles: Sequence[Article]) -> None:
        futures = [self.pool.submit(component, articles) for component in self.components]
        wait(futures)  # all done before any error propagates: no late writes
        for future in futures:
            future.result()
