"""The layer registry: what each layer of an `Article` is, declared once by the
package that produces it.

A layer's `LayerSpec` names its span type (for the JSON contract), the component
that produces it, what the corpus index counts and facets from it, the marks and
the panel the reports and the workspace show. The document model, the store's
index, the renderers, the workspace and the API loop over `specs()`; adding a
layer is one package with one spec (docs/architecture.md, "Add a layer").

Built-in layers are the `LAYERS` of the modules listed in `BUILTIN` (modules that
import nothing heavy); other packages add theirs through the ``spinlens.layers``
entry point group (pointing at a LayerSpec) or by calling `register`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinlens.model import Article, Span
    from spinlens.render.marks import Mark

BUILTIN = (
    "spinlens.pipeline.layers",
    "spinlens.techniques.layer",
    "spinlens.attribution.layer",
    "spinlens.claims.layer",
    "spinlens.persuasion.layer",
)
"""Modules declaring the built-in layers, in the order of the JSON object."""
ENTRY_POINTS = "spinlens.layers"

FacetRow = tuple[str, str, str | None]
"""(kind, value, label) of one facet mention: ("speaker", "Qais al-Khazali", None)."""
MAX_FACET_VALUE = 200
"""Longest facet value kept (characters, white space runs made one space)."""


def facet_value(given: str) -> str:
    """A facet row's value as the corpus index keeps it (and filters and pages take
    it): white space runs made one space, at most `MAX_FACET_VALUE` characters."""
    return " ".join(given.split())[:MAX_FACET_VALUE]


@dataclass(frozen=True)
class Facet:
    """A corpus filter fed by a layer: its kind (the filter's name), a label for
    the UI and, for a closed vocabulary, the values it can take."""

    kind: str
    label: str
    values: tuple[str, ...] = ()
    plural: str = ""
    """Key of its values in the filter options (`/api/facets`); default kind + "s"."""

    @property
    def options(self) -> str:
        return self.plural or f"{self.kind}s"


@dataclass(frozen=True)
class Panel:
    """What a layer shows beside the text: a Jinja template (found in `folder`), the
    function preparing its data from an Article, and where it goes among the panels
    (lower first). The template sees `layer`, `data`, `article`, `prefix` (of link
    targets in the text) and `linked` (whether corpus filter links may be drawn)."""

    template: str
    folder: Path
    data: Callable[[Article], Any]
    position: int = 50


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the document model and everything that handles it."""

    name: str
    """Key of the layer in the JSON object and in `Article.layers`."""
    span_type: type[Span]
    title: str
    """Display name ("Claims")."""
    optional: bool = False
    """Written to JSON only when its component ran (an opt-in model)."""
    counted: bool = False
    """The corpus index counts its spans per article (corpus column, sort key)."""
    facets: tuple[Facet, ...] = ()
    facet_rows: Callable[[dict[str, Any]], Iterable[FacetRow]] | None = None
    """Facet mentions of one article, from its JSON object."""
    marks: Callable[[Article], list[Mark]] | None = None
    """Highlights of the layer in the text."""
    style: str = ""
    """How its marks look, for the legend ("wavy underline")."""
    visible: bool = True
    """Its marks are drawn when a report or page opens (else one click shows them)."""
    definitions: dict[str, str] = field(default_factory=dict)
    """One-line definition per label of the layer (hover texts, legends)."""
    titles: dict[str, str] = field(default_factory=dict)
    """Readable name per label ("Name calling / labelling"); data keeps the label."""
    legend: tuple[tuple[str, str], ...] = ()
    """(label, CSS class) of each label a reader can hide: a toggle per label."""
    css: str = ""
    """Style rules for its marks and panel (reports and workspace)."""
    panel: Panel | None = None
    component: str | None = None
    """``module:function`` building its pipeline component from `ComponentOptions`
    (None: produced by the linguistic foundation)."""
    default: bool = True
    """Produced by the default pipeline (else only on opt-in)."""
    skippable: bool = False
    """Can be left out with ``--without NAME``."""
    producers: tuple[str, ...] = ()
    """Component names (in a result's `pipeline.components`) that produce it."""


_specs: dict[str, LayerSpec] = {}
_loaded = False


def register(spec: LayerSpec) -> LayerSpec:
    """Add (or replace) a layer after the built-in ones; returns it, so a module can
    keep it as a name."""
    _load()
    _specs[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a layer (tests, plug-ins switched off)."""
    _load()
    _specs.pop(name, None)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in BUILTIN:
        for layer in importlib.import_module(module).LAYERS:
            _specs[layer.name] = layer
    for entry in entry_points(group=ENTRY_POINTS):
        register(entry.load())


def specs() -> list[LayerSpec]:
    """Every registered layer, in JSON order."""
    _load()
    return list(_specs.values())


def spec(name: str) -> LayerSpec | None:
    _load()
    return _specs.get(name)


def counted() -> list[str]:
    """Layers whose spans the corpus index counts per article."""
    return [s.name for s in specs() if s.counted]


def facets() -> list[Facet]:
    """Every corpus filter a layer feeds, in registry order."""
    return [f for s in specs() for f in s.facets]


def facet_kinds() -> tuple[str, ...]:
    return tuple(f.kind for f in facets())


def definition(label: str) -> str | None:
    """The first layer's definition of a label (technique, entity type…)."""
    for s in specs():
        if label in s.definitions:
            return s.definitions[label]
    return None


def title(label: str) -> str:
    """A label as readers see it: the first layer's readable name, else the label."""
    for s in specs():
        if label in s.titles:
            return s.titles[label]
    return label


def skippable() -> tuple[str, ...]:
    """Layers ``--without`` can leave out."""
    return tuple(s.name for s in specs() if s.skippable)


def panels() -> list[LayerSpec]:
    """Layers with a panel, in panel order."""
    return sorted((s for s in specs() if s.panel), key=lambda s: s.panel.position if s.panel else 0)


def component_factory(layer: LayerSpec) -> Callable[..., Any]:
    """The function building a layer's component (imported on first use)."""
    assert layer.component is not None
    module, _, name = layer.component.partition(":")
    factory: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return factory
