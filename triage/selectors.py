"""Reads of smart triage: the suggestion for an appeal, its likely duplicates, rules and warnings in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from access.scope import AREA_MANAGER_ROLES, AREA_STAFF_ROLES, Scope, any_of
from appeals.models import OPEN_STATUSES, Appeal
from appeals.selectors import dispatchable_units
from areas.models import Area
from categories.models import Category
from linli import clock
from triage import classifier, text
from triage.models import EarlyWarning, LabelledExample, RoutingRule
from units.models import Unit


# ---- category and unit suggestion ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float
    category: Category | None  # the top-level category named like the label
    unit: Unit | None  # from the routing table, when a rule covers the appeal's place
    confident: bool  # at or above TRIAGE_MIN_CONFIDENCE: pre-fill the forms


def suggest_category(title: str, body: str) -> classifier.Prediction | None:
    """The model's first-level label and confidence, or None when no model is stored. Fast: the model is
    loaded once per process."""
    model = classifier.load()
    if model is None:
        return None
    return classifier.predict(model, title, body)


def top_category(label: str) -> Category | None:
    return Category.objects.filter(parent__isnull=True, name=label, is_active=True).first()


def routed_unit(category: Category, place: Area | str) -> Unit | None:
    """The unit of the most specific rule for this top-level category at the place or above it."""
    path = place if isinstance(place, str) else place.path
    ids = [int(p) for p in path.strip("/").split("/") if p]
    rule = (
        RoutingRule.objects.filter(category=category, area_id__in=ids, unit__is_active=True)
        .select_related("unit")
        .order_by("-area__depth")
        .first()
    )
    return rule.unit if rule else None


def suggestion_for(appeal: Appeal) -> Suggestion | None:
    prediction = suggest_category(appeal.title, appeal.body)
    if prediction is None:
        return None
    confident = prediction.confidence >= settings.TRIAGE_MIN_CONFIDENCE
    category = top_category(prediction.label)
    known = appeal.category.root if appeal.category is not None else None
    unit = None
    route_by = known or (category if confident else None)
    if route_by is not None:
        unit = routed_unit(route_by, appeal.area_path)
        if unit is not None and not dispatchable_units(appeal).filter(pk=unit.pk).exists():
            unit = None
    return Suggestion(prediction.label, prediction.confidence, category, unit, confident)


@dataclass(frozen=True)
class Acceptance:
    """How often staff confirmed the category the model suggested (labelled history with a suggestion)."""

    suggested: int  # confirmations with a suggestion recorded
    accepted: int  # … where staff kept the suggested category
    confident: int  # … where the suggestion was confident enough to be pre-filled
    confident_accepted: int

    @property
    def rate(self) -> float | None:
        return self.accepted / self.suggested if self.suggested else None

    @property
    def confident_rate(self) -> float | None:
        return self.confident_accepted / self.confident if self.confident else None


def suggestion_acceptance(examples: QuerySet[LabelledExample]) -> Acceptance:
    """One query over the given labelled history (already scoped by the caller)."""
    kept = Q(label=F("suggested"))
    confident = Q(confidence__gte=settings.TRIAGE_MIN_CONFIDENCE)
    counts = examples.exclude(suggested="").aggregate(
        n=Count("pk"),
        n_kept=Count("pk", filter=kept),
        n_confident=Count("pk", filter=confident),
        n_confident_kept=Count("pk", filter=confident & kept),
    )
    return Acceptance(counts["n"], counts["n_kept"], counts["n_confident"], counts["n_confident_kept"])


# ---- duplicates at intake ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Duplicate:
    appeal_id: int
    title: str
    status: str
    submitted_at: object
    same_grid: bool
    score: float


def duplicates_for(appeal: Appeal, *, limit: int = 5) -> list[Duplicate]:
    """Open appeals of the same community, raised recently, that read like this one.

    One indexed query (community, status, submitted_at: ``appeal_duplicate_lookup``) fetches at most
    ``TRIAGE_DUPLICATE_CANDIDATES`` recent candidates with a prefix of their text; they are scored in Python
    by character-bigram Jaccard of title and body prefix, with a bonus for the same grid.
    """
    since = (appeal.submitted_at or clock.now()) - timedelta(days=settings.TRIAGE_DUPLICATE_DAYS)
    prefix = settings.TRIAGE_DUPLICATE_PREFIX
    rows = (
        Appeal.objects.filter(
            community_id=appeal.community_id, status__in=OPEN_STATUSES, submitted_at__gte=since
        )
        .exclude(pk=appeal.pk)
        .order_by("-submitted_at")
        .annotate(head=Substr("body", 1, prefix))
        .values_list("pk", "title", "head", "grid_id", "status", "submitted_at")[
            : settings.TRIAGE_DUPLICATE_CANDIDATES
        ]
    )
    mine_title = text.bigrams(appeal.title)
    mine_body = text.bigrams(appeal.body[:prefix])
    found = []
    for pk, title, head, grid_id, status, submitted_at in rows:
        title_score = text.jaccard(mine_title, text.bigrams(title))
        same_grid = grid_id is not None and grid_id == appeal.grid_id
        if title_score == 0 and not same_grid:
            continue  # not one character pair in common: not the same problem
        score = (
            0.6 * title_score + 0.4 * text.jaccard(mine_body, text.bigrams(head)) + (0.1 if same_grid else 0)
        )
        if score >= settings.TRIAGE_DUPLICATE_MIN_SCORE:
            found.append(Duplicate(pk, title, status, submitted_at, same_grid, round(score, 3)))
    found.sort(key=lambda d: -d.score)
    return found[:limit]


# ---- rules and warnings in scope -----------------------------------------------------------------------------
def routing_rules_visible(scope: Scope) -> QuerySet[RoutingRule]:
    """Rules at the user's areas, below them, and above them (the inherited ones)."""
    qs = RoutingRule.objects.select_related("category", "area", "unit", "updated_by")
    if scope.is_admin:
        return qs
    nodes = scope.nodes(AREA_STAFF_ROLES)
    if not nodes:
        return qs.none()
    ancestors: set[int] = set()
    for n in nodes:
        ancestors.update(n.ancestor_ids())
    return qs.filter(Q(area_id__in=ancestors) | any_of([Q(area__path__startswith=n.path) for n in nodes]))


def routing_areas_managed(scope: Scope) -> QuerySet[Area]:
    """The areas whose rules the user keeps (``services.can_manage_routing``): community and subdistrict staff
    their own area and below, the administrator all; only districts, subdistricts and communities hold rules."""
    from triage.services import ROUTING_AREA_KINDS

    qs = Area.objects.filter(kind__in=ROUTING_AREA_KINDS)
    if scope.is_admin:
        return qs
    return qs.filter(any_of([Q(path__startswith=n.path) for n in scope.nodes(AREA_MANAGER_ROLES)]))


def warnings_visible(scope: Scope) -> QuerySet[EarlyWarning]:
    qs = EarlyWarning.objects.select_related("area", "category")
    if scope.is_admin:
        return qs
    return qs.filter(any_of([Q(area_path__startswith=n.path) for n in scope.nodes(AREA_STAFF_ROLES)]))


# ---- hotspots among the appeals a user sees -----------------------------------------------------------------
HOTSPOT_DAYS = 90
HOTSPOT_MAX_APPEALS = 3000


def hotspots_in_scope(scope: Scope, *, days: int = HOTSPOT_DAYS):
    """Hotspots among the appeals of the last ``days`` days this user sees (merged and withdrawn ones aside)."""
    from appeals.selectors import visible_appeals
    from triage import hotspots

    since = clock.now() - timedelta(days=days)
    rows = (
        visible_appeals(scope)
        .filter(submitted_at__gte=since)
        .exclude(status__in=["merged", "withdrawn"])
        .order_by("-submitted_at")
        .annotate(head=Substr("body", 1, 400))
        .values_list("pk", "raised_by_id", "title", "head", "submitted_at", "grid__name", "community__name")[
            :HOTSPOT_MAX_APPEALS
        ]
    )
    follows = Appeal.followers.through.objects.filter(appeal_id__in=[r[0] for r in rows])
    support: dict[int, int] = {}
    for appeal_id in follows.values_list("appeal_id", flat=True):
        support[appeal_id] = support.get(appeal_id, 0) + 1
    messages = [
        hotspots.Message(
            id=str(pk),
            user=str(raiser),
            title=title,
            body=head,
            at=at,
            support=support.get(pk, 0),
            place=grid or community or "",
        )
        for pk, raiser, title, head, at, grid, community in rows
    ]
    return hotspots.find(messages)
