"""Attribution scoring on brat standoff files (PolNeAR), with the metrics of
../shared/eval/attribution_score.py: per-role soft and exact P/R/F1 and
attribution(-with-source) P/R/F1 by greedy content matching (Dice >= 0.5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROLES = ("source", "cue", "content")
Attribution = dict[str, frozenset[int]]


def chars(pieces: Iterable[tuple[int, int]]) -> frozenset[int]:
    """The character positions covered by (possibly discontinuous) pieces."""
    return frozenset(i for start, end in pieces for i in range(start, end))


def parse_offsets(offsets: str) -> list[tuple[int, int]] | None:
    """ "10 20;25 30" -> [(10, 20), (25, 30)]; None when the line is not offsets."""
    try:
        pieces = [piece.split() for piece in offsets.split(";")]
        return [(int(p[0]), int(p[1])) for p in pieces]
    except (IndexError, ValueError):
        return None


def read_ann(path: Path) -> list[Attribution]:
    """The attributions of one brat file: each role as a set of character positions.
    Span text that continues on following lines (it held a line break) is skipped."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("T") and "\t" in line:
            tid, middle = line.split("\t")[:2]
            pieces = parse_offsets(middle.partition(" ")[2])
            if pieces is not None:
                spans[tid] = pieces
        elif line.startswith("E") and "\t" in line:
            args = line.split("\t")[1].split()
            events.append({a.split(":")[0].lower(): a.split(":")[1] for a in args if ":" in a})
    out = []
    for event in events:
        att = {r: chars(spans[event[r]]) for r in ROLES if r in event and event[r] in spans}
        if "content" in att:
            out.append(att)
    return out


def read_gold_dir(folder: Path) -> dict[str, list[Attribution]]:
    """Gold attributions by article id, from DIR/*.ann or DIR/attributions/*.ann."""
    ann_dir = folder / "attributions" if (folder / "attributions").is_dir() else folder
    return {p.stem: read_ann(p) for p in sorted(ann_dir.glob("*.ann"))}


def text_dir(folder: Path) -> Path:
    """Where the article texts of a gold folder are (DIR/text/ or DIR itself)."""
    return folder / "text" if (folder / "text").is_dir() else folder


def scorer_quote(quote: Mapping[str, Any]) -> dict[str, Any]:
    """A result `quotes` item as the reference scorer reads it: the content as its
    pieces (`content_parts`) when the result has them."""
    parts = quote.get("content_parts")
    return {**quote, "content": parts} if parts else dict(quote)


def quote_attributions(quotes: Iterable[Mapping[str, Any]]) -> list[Attribution]:
    """Result `quotes` items (JSON objects) as attributions."""
    out = []
    for quote in map(scorer_quote, quotes):
        att: Attribution = {}
        for role in ROLES:
            value = quote.get(role)
            if not value:
                continue
            pieces = value if isinstance(value, list) else [value]
            att[role] = chars((int(p["start"]), int(p["end"])) for p in pieces)
        if "content" in att:
            out.append(att)
    return out


def merged(sets: list[frozenset[int]]) -> list[frozenset[int]]:
    """Distinct spans of one role, overlapping ones merged."""
    out: list[frozenset[int]] = []
    for span in sorted(set(sets), key=min):
        for k, other in enumerate(out):
            if span & other:
                out[k] = other | span
                break
        else:
            out.append(span)
    return out


def dice(a: frozenset[int], b: frozenset[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def prf(p_num: float, p_den: int, r_num: float, r_den: int) -> dict[str, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    f = 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def match(pred: list[Attribution], gold: list[Attribution]) -> tuple[int, int]:
    """Greedy one-to-one matching by content Dice >= 0.5: (matched, matched with source)."""
    pairs = sorted(
        (
            (dice(p["content"], g["content"]), i, j)
            for i, p in enumerate(pred)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched = with_source = 0
    for score, i, j in pairs:
        if score < 0.5:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matched += 1
        ps, gs = pred[i].get("source"), gold[j].get("source")
        if (ps is None and gs is None) or (ps and gs and dice(ps, gs) >= 0.5):
            with_source += 1
    return matched, with_source


def score(gold: dict[str, list[Attribution]], pred: dict[str, list[Attribution]]) -> dict:
    """All metrics over the articles of `gold` (missing predictions count as none)."""
    soft: dict[str, list[Any]] = {r: [0.0, 0, 0.0, 0] for r in ROLES}
    exact = {r: [0, 0, 0] for r in ROLES}
    matched = with_source = n_pred = n_gold = 0
    for aid, g_atts in gold.items():
        p_atts = pred.get(aid, [])
        n_pred += len(p_atts)
        n_gold += len(g_atts)
        for r in ROLES:
            ps = merged([a[r] for a in p_atts if r in a])
            gs = merged([a[r] for a in g_atts if r in a])
            soft[r][1] += len(ps)
            soft[r][3] += len(gs)
            ep, eg = {a[r] for a in p_atts if r in a}, {a[r] for a in g_atts if r in a}
            exact[r][0] += len(ep & eg)
            exact[r][1] += len(ep)
            exact[r][2] += len(eg)
            for p in ps:
                for g in gs:
                    inter = len(p & g)
                    if inter:
                        soft[r][0] += inter / len(p)
                        soft[r][2] += inter / len(g)
        m, ms = match(p_atts, g_atts)
        matched += m
        with_source += ms
    res: dict[str, Any] = {f"role_{r}_soft": prf(*soft[r]) for r in ROLES}
    res.update(
        {f"role_{r}_exact": prf(exact[r][0], exact[r][1], exact[r][0], exact[r][2]) for r in ROLES}
    )
    res["attribution"] = prf(matched, n_pred, matched, n_gold)
    res["attribution_with_source"] = prf(with_source, n_pred, with_source, n_gold)
    res["articles"] = len(gold)
    res["gold_attributions"] = n_gold
    res["pred_attributions"] = n_pred
    return res
