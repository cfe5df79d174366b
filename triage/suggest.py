"""The whole suggestion for an appeal: the category path (level 1 → leaf) with confidences, and the unit with why.

One pass: the text is prepared once (jieba), the level-1 model (``triage.scorer``) and the leaf model
(``triage.leaf``) score it, the units are ranked by ``triage.routing`` for the category staff confirmed (or, before
they did, for the suggested one when it is confident). Either model may be missing: with the leaf model alone the
path's level 1 comes from it; with neither there is no category suggestion, and the unit still comes from rules
and history once the appeal has a category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from appeals.models import Appeal
from appeals.selectors import dispatchable_units
from categories.models import Category
from triage import leaf, routing, scorer
from triage.routing import UnitGuess
from units.models import Unit


@dataclass(frozen=True)
class PathOption:
    category: Category
    names: tuple[str, ...]  # level 1 → this category
    confidence: float

    @property
    def path(self) -> str:
        return "/".join(self.names)


@dataclass(frozen=True)
class Suggestion:
    label: str  # the level-1 name
    confidence: float  # of the level 1
    category: Category | None  # the level-1 category named like the label
    unit: Unit | None  # the first unit suggested
    confident: bool  # the level 1 at or above TRIAGE_MIN_CONFIDENCE: pre-fill the category
    paths: list[PathOption] = field(default_factory=list)  # the likeliest whole paths, best first
    units: list[UnitGuess] = field(default_factory=list)  # best first, each with its reason
    routed_by: Category | None = None  # the category the units were chosen for

    @property
    def leaf(self) -> PathOption | None:
        return self.paths[0] if self.paths else None

    @property
    def leaf_confident(self) -> bool:
        return bool(self.paths) and self.paths[0].confidence >= settings.TRIAGE_MIN_CONFIDENCE

    @property
    def reason(self) -> str:
        return self.units[0].reason if self.units else ""


def category_paths(title: str, body: str, *, top: int = 3) -> tuple[str, float, list[leaf.PathGuess]] | None:
    """(level-1 label, its confidence, the likeliest paths) for a text, or None when no model is stored."""
    level1_model, leaf_model = scorer.load(), leaf.load()
    if level1_model is None and leaf_model is None:
        return None
    document = scorer.prepared(title, body)
    level1 = scorer.probabilities(level1_model, document) if level1_model is not None else None
    guesses = leaf.rank(leaf_model, document, level1, top=top) if leaf_model is not None else []
    if level1:
        label = max(level1, key=lambda k: level1[k])
        return label, level1[label], guesses
    if level1_model is not None:  # uncalibrated: never confident
        prediction = scorer.predict_document(level1_model, document)
        return prediction.label, prediction.confidence, guesses
    best = guesses[0]
    return best.node.root, best.root_confidence, guesses


def suggestion_for(
    appeal: Appeal, *, now: datetime | None = None, with_units: bool = True
) -> Suggestion | None:
    """The suggestion staff see on the appeal's page. None when there is nothing to suggest at all."""
    found = category_paths(appeal.title, appeal.body)
    label, confidence, guesses = found if found is not None else ("", 0.0, [])
    codes = [g.node.code for g in guesses]
    found_categories = (
        list(
            Category.objects.filter(
                Q(code__in=codes) | Q(parent__isnull=True, name=label), is_active=True
            ).select_related("parent")
        )
        if label or codes
        else []
    )
    by_code = {c.code: c for c in found_categories}
    tops = {c.name: c for c in found_categories if c.parent_id is None}
    paths = [
        PathOption(by_code[g.node.code], g.node.path, g.confidence) for g in guesses if g.node.code in by_code
    ]
    confident = bool(label) and confidence >= settings.TRIAGE_MIN_CONFIDENCE
    route_by = appeal.category
    if route_by is None and paths and paths[0].confidence >= settings.TRIAGE_MIN_CONFIDENCE:
        route_by = paths[0].category
    if route_by is None and confident:
        route_by = tops.get(label)
    units: list[UnitGuess] = []
    if with_units and route_by is not None:
        allowed = {u.pk: u for u in dispatchable_units(appeal)}
        units = routing.suggest_units(
            route_by, appeal.community_id, appeal.area_path, allowed=allowed, now=now, exclude=appeal.pk
        )
    if not label and not units:
        return None
    return Suggestion(
        label=label,
        confidence=confidence,
        category=tops.get(label),
        unit=units[0].unit if units else None,
        confident=confident,
        paths=paths,
        units=units,
        routed_by=route_by,
    )
