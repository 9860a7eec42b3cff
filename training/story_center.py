"""The centre of the story vectors (`src/spinlens/models/stories/center.npy`): the
mean lead vector (`spinlens.stories.vector.lead_mean`) of the PolNeAR train and dev
articles outside the story set (benchmarks/stories_labels.tsv), read by the shipped
shared encoder as the pipeline reads them. numpy and onnxruntime only:

    .venv/bin/python training/story_center.py

Needs ../shared/data/polnear; about 4 minutes on 2 CPU cores.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from spinlens.encoder import load_encoder
from spinlens.stories.vector import CENTER, lead_mean

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SPINLENS_SHARED_DATA", REPO.parent / "shared" / "data"))
LABELS = REPO / "benchmarks" / "stories_labels.tsv"


def main() -> None:
    labelled = {row.split("\t")[1] for row in LABELS.read_text().splitlines()[1:]}
    paths = [
        path
        for split in ("train", "dev")
        for path in sorted((SHARED_DATA / "polnear" / split / "text").glob("*.txt"))
        if path.stem not in labelled
    ]
    encoder, version = load_encoder()
    pooled = []
    for path in paths:
        encoding = encoder.encode([path.read_text(encoding="utf-8")])[0]
        lead = lead_mean(encoding.vectors, encoding.offsets)
        if lead is not None:
            pooled.append(lead)
    np.save(CENTER, np.mean(pooled, axis=0).astype(np.float32))
    print(f"{len(pooled)} articles, encoder {version}: {CENTER}")


if __name__ == "__main__":
    main()
