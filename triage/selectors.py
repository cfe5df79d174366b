"""Reads of smart triage: the suggestion for an appeal, its likely duplicates, rules and warnings in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from access.scope import AREA_MANAGER_ROLES, AREA_STAFF_ROLES, Scope, any_of
from appeals.models import Appeal
from areas.models import Area
from categories.models import Category
from linli import clock
from triage import classifier, routing
from triage.duplicates import Duplicate, duplicates_for
from triage.suggest import Suggestion, suggestion_for

# the whole suggestion (triage.suggest) and near-duplicates (triage.duplicates), read from here as before
__all__ = ["Duplicate", "Suggestion", "duplicates_for", "suggestion_for"]
from triage.models import EarlyWarning, LabelledExample, RoutingRule
from units.models import Unit


# ---- category and unit suggestion (triage.suggest has the whole suggestion) -----------------------------------
def suggest_category(title: str, body: str) -> classifier.Prediction | None:
    """The level-1 model's label and confidence, or None when no model is stored. Fast: the model is loaded once
    per process."""
    model = classifier.load()
    if model is None:
        return None
    return classifier.predict(model, title, body)


def top_category(label: str) -> Category | None:
    return Category.objects.filter(parent__isnull=True, name=label, is_active=True).first()


def routed_unit(category: Category, place: Area | str) -> Unit | None:
    """The unit of the rule that applies to this category at the place (``triage.routing.rule_for``)."""
    rule = routing.rule_for(category, place)
    return rule.unit if rule else None


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


@dataclass(frozen=True)
class UnitAcceptance:
    """How often dispatchers kept the unit suggested (preselected) on the dispatch form."""

    suggested: int  # dispatches with a unit suggested
    kept: int  # … sent to the suggested unit
    by_source: dict[str, tuple[int, int]]  # rule / history / duty → (kept, suggested)

    @property
    def rate(self) -> float | None:
        return self.kept / self.suggested if self.suggested else None

    @property
    def changed(self) -> int:
        return self.suggested - self.kept

    @property
    def sources(self) -> list[tuple[str, tuple[int, int]]]:
        """(依据, (kept, suggested)) in words, for the page."""
        names = {"rule": "按规则建议", "history": "按历史建议", "duty": "按职责建议"}
        return [(names[k], self.by_source[k]) for k in ("rule", "history", "duty") if k in self.by_source]


UNIT_SOURCES = {"规则": "rule", "历史": "history", "职责": "duty"}


def unit_acceptance(examples: QuerySet[LabelledExample]) -> UnitAcceptance:
    """One query over the given labelled history (already scoped by the caller)."""
    rows = examples.filter(suggested_unit__isnull=False, unit__isnull=False).values_list(
        "suggested_unit_id", "unit_id", "unit_reason"
    )
    by_source: dict[str, list[int]] = {}
    kept = total = 0
    for suggested, unit, reason in rows.iterator(chunk_size=5000):
        source = UNIT_SOURCES.get(reason[:2], "rule")
        counts = by_source.setdefault(source, [0, 0])
        total += 1
        counts[1] += 1
        if suggested == unit:
            kept += 1
            counts[0] += 1
    return UnitAcceptance(total, kept, {k: (v[0], v[1]) for k, v in by_source.items()})


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
