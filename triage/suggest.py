"""The whole suggestion for an appeal: the category path (level 1 → leaf) with confidences, and the unit with why.

One pass: the text is prepared once (jieba), the level-1 model (``triage.scorer``) and the leaf model
(``triage.leaf``) score it, the units are ranked by ``triage.routing`` for the category staff confirmed (or, before
they did, for the suggested one when it is confident), an appeal on a street going first to the street's departments
(``streets.routing``). Either model may be missing: with the leaf model alone the
path's level 1 comes from it; with neither there is no category suggestion, and the unit still comes from rules
and history once the appeal has a category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.conf import settings

from appeals.models import Appeal, AppealEvent
from categories.models import Category
from triage import leaf, routing, scorer, tables, text
from triage.classifier import HEAD_TOKENS
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


@lru_cache(maxsize=2048)
def prepared(title: str, body: str) -> tuple[str, text.Grams]:
    """The prepared document (jieba, once) and its n-grams (counted once for both models), kept for the appeals
    seen lately: an appeal's page, its API hint, the dispatch and its record read the same text."""
    document = scorer.prepared(title, body)
    return document, text.grams(document, HEAD_TOKENS)


def category_paths(title: str, body: str, *, top: int = 3) -> tuple[str, float, list[leaf.PathGuess]] | None:
    """(level-1 label, its confidence, the likeliest paths) for a text, or None when no model is stored."""
    level1_model, leaf_model = scorer.load(), leaf.load()
    if level1_model is None and leaf_model is None:
        return None
    document, grams = prepared(title, body)
    level1 = scorer.probabilities(level1_model, document, grams) if level1_model is not None else None
    guesses = leaf.rank(leaf_model, document, level1, top=top, grams=grams) if leaf_model is not None else []
    if level1:
        label = max(level1, key=lambda k: level1[k])
        return label, level1[label], guesses
    if level1_model is not None:  # uncalibrated: never confident
        prediction = scorer.predict_document(level1_model, document)
        return prediction.label, prediction.confidence, guesses
    best = guesses[0]
    return best.node.root, best.root_confidence, guesses


def community_path(appeal: Appeal) -> str:
    """The community's path, from the appeal's own (which may go down to its grid and building)."""
    ids = [p for p in (appeal.area_path or "").strip("/").split("/") if p]
    mine = str(appeal.community_id)
    return "/" + "/".join(ids[: ids.index(mine) + 1]) + "/" if mine in ids else appeal.area_path


def refused_units(appeal: Appeal, *, before: datetime | None = None) -> set[int]:
    """Units that returned this appeal as not theirs (no query unless it was ever returned)."""
    if not getattr(appeal, "return_count", 0) or appeal.pk is None:
        return set()
    events = AppealEvent.objects.filter(appeal_id=appeal.pk, action="return", unit__isnull=False)
    if before is not None:
        events = events.filter(at__lte=before)
    return set(events.values_list("unit_id", flat=True))


def suggestion_for(
    appeal: Appeal, *, now: datetime | None = None, with_units: bool = True
) -> Suggestion | None:
    """The suggestion staff see on the appeal's page. None when there is nothing to suggest at all.
    Reads the category tree, rules and units from memory (``triage.tables``): only a returned appeal's returns
    are queried."""
    found = category_paths(appeal.title, appeal.body)
    label, confidence, guesses = found if found is not None else ("", 0.0, [])
    known = tables.tables()
    tops = {c.name: c for c in known.categories.values() if c.parent_id is None and c.is_active}
    paths = [
        PathOption(known.by_code[g.node.code], g.node.path, g.confidence)
        for g in guesses
        if g.node.code in known.by_code and known.by_code[g.node.code].is_active
    ]
    confident = bool(label) and confidence >= settings.TRIAGE_MIN_CONFIDENCE
    route_by = known.categories.get(appeal.category_id) if appeal.category_id else None
    if route_by is None and paths and paths[0].confidence >= settings.TRIAGE_MIN_CONFIDENCE:
        route_by = paths[0].category
    if route_by is None and confident:
        route_by = tops.get(label)
    units: list[UnitGuess] = []
    if with_units and route_by is not None:
        allowed = known.serving(community_path(appeal))
        units = routing.suggest_units(
            route_by,
            appeal.community_id,
            appeal.area_path,
            allowed=allowed,
            now=now,
            exclude=appeal.pk,
            refused=refused_units(appeal, before=now),
            appeal=appeal,
        )
        street_id = getattr(appeal, "street_id", None)
        if street_id:  # 街长制: the street's departments first
            from streets.routing import street_first

            units = street_first(known, street_id, route_by, allowed, units)
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
