"""Pages of 小区: a community's compounds, one compound with its bodies, elections and ratings.

Staff of other levels and residents read; the community's staff keep them (forms in ``compounds.actions``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render

from access.models import Role
from access.scope import Scope
from areas.models import Area, Building
from compounds import figures, selectors
from compounds.models import CRITERIA, EVENT_LABELS, Body, Compound, CompoundEvent, Member, Rating
from compounds.ratings import quarter_of
from compounds.scope import keeps, may_rate, visible_compounds
from linli import clock
from notices.selectors import runs_community
from people.models import Person
from units.models import Unit


def communities(scope: Scope) -> QuerySet[Area]:
    """The communities whose compounds this person may open: those with a visible compound, and those they run."""
    ids = set(visible_compounds(scope).values_list("community_id", flat=True))
    mine = Area.objects.filter(kind=Area.Kind.COMMUNITY)
    if scope.is_admin:
        return mine.order_by("path")
    ran = [c.pk for c in scope.areas().filter(kind=Area.Kind.COMMUNITY) if runs_community(scope, c)]
    return mine.filter(Q(pk__in=ids) | Q(pk__in=ran)).order_by("path")


@login_required
def index(request):
    found = list(communities(Scope.of(request.user)))
    if len(found) == 1:
        return redirect("compounds-community", found[0].pk)
    return render(request, "compounds/index.html", {"communities": found})


@login_required
def community(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(communities(scope), pk=pk)
    keeper = runs_community(scope, area)
    rows = selectors.overviews(selectors.in_community(visible_compounds(scope), area))
    free = (
        Building.objects.filter(grid__path__startswith=area.path, compound__isnull=True)
        .select_related("grid")
        .order_by("code")
        if keeper
        else []
    )
    return render(
        request,
        "compounds/community.html",
        {"community": area, "rows": rows, "keeper": keeper, "kinds": Compound.Kind.choices, "free": free},
    )


def people_for(body: Body) -> QuerySet[Person]:
    """Whom a body's member may be: the compound's residents; for the firm also the firm's staff."""
    residents = Q(memberships__household__building__compound=body.compound)
    if body.kind == Body.Kind.PROPERTY and body.firm_id:
        residents |= Q(
            user__role_assignments__role=Role.UNIT_STAFF, user__role_assignments__unit=body.firm_id
        )
    return Person.objects.filter(pk__in=Person.objects.filter(residents).values("pk")).order_by("name")


def owners(compound: Compound) -> QuerySet[Person]:
    return Person.objects.filter(
        pk__in=Person.objects.filter(
            memberships__household__building__compound=compound, memberships__is_owner=True
        ).values("pk")
    ).order_by("name")


def _history(compound: Compound) -> list[tuple[str, str, figures.Score, figures.Score]]:
    """Each quarter's rating of each firm that served the compound, latest first."""
    keys = (
        Rating.objects.filter(compound=compound)
        .values_list("year", "quarter", "firm_id", "firm__name")
        .distinct()
        .order_by("-year", "-quarter", "firm__name")
    )
    out = []
    for year, quarter, firm_id, name in keys:
        rows = Rating.objects.filter(compound=compound, year=year, quarter=quarter, firm_id=firm_id)
        out.append(
            (
                f"{year}年第{quarter}季度",
                name,
                figures.score_of(rows.filter(rater=Rating.Rater.RESIDENT)),
                figures.score_of(rows.filter(rater=Rating.Rater.COMMUNITY)),
            )
        )
    return out


@login_required
def detail(request, pk: int):
    scope = Scope.of(request.user)
    compound = get_object_or_404(visible_compounds(scope), pk=pk)
    keeper = keeps(scope, compound)
    view = selectors.overview(compound)
    year, quarter = quarter_of(clock.now().date())
    firm = view.management
    rated = (
        firm is not None
        and Rating.objects.filter(
            compound=compound, firm_id=firm.firm_id, year=year, quarter=quarter, person=scope.person
        ).exists()
    )
    assessed = (
        firm is not None
        and Rating.objects.filter(
            compound=compound, firm_id=firm.firm_id, year=year, quarter=quarter, rater=Rating.Rater.COMMUNITY
        ).exists()
    )
    ended = (
        Body.objects.filter(compound=compound, status=Body.Status.ENDED)
        .select_related("firm")
        .order_by("-ended_at")[:10]
    )
    context = {
        "o": view,
        "compound": compound,
        "keeper": keeper,
        "staff": scope.is_staff_like,
        "criteria": CRITERIA,
        "stars": range(5, 0, -1),
        "quarter": f"{year}年第{quarter}季度",
        "may_rate": firm is not None and may_rate(scope, compound) and not rated,
        "rated": rated,
        "may_assess": keeper and firm is not None and not assessed,
        "history": _history(compound),
        "ended": ended,
        "elections": compound.elections.select_related("vote").prefetch_related("candidates__person"),
    }
    if scope.is_staff_like:
        rows = CompoundEvent.objects.filter(compound=compound).select_related("actor").order_by("-at", "-id")
        context["events"] = [(e, EVENT_LABELS.get(e.action, e.action)) for e in rows[:15]]
    if keeper:
        context.update(
            {
                "kinds": Compound.Kind.choices,
                "buildings": Building.objects.filter(grid__path__startswith=compound.community.path)
                .filter(Q(compound__isnull=True) | Q(compound=compound))
                .select_related("grid")
                .order_by("code"),
                "firms": Unit.objects.filter(
                    kind=Unit.Kind.PROPERTY_MANAGER,
                    is_active=True,
                    areas_served__in=compound.community.ancestor_ids(),
                )
                .distinct()
                .order_by("code"),
                "committee_posts": [
                    p for p in Member.Post.choices if p[0] in ("director", "deputy", "member", "secretary")
                ],
                "property_posts": [
                    p for p in Member.Post.choices if p[0] in ("manager", "housekeeper", "staff")
                ],
                "owners": owners(compound),
            }
        )
        for body in view.bodies.values():
            body.people = list(people_for(body))  # type: ignore[attr-defined]
    return render(request, "compounds/detail.html", context)
