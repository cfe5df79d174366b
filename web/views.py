"""Pages of the register: the area tree, units and people. All reads go through Scope (home pages: web.home)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from access.scope import Scope
from areas.models import Area
from audit.access_log import reveal_homes
from linli.sections import discovered
from spreadsheets.lists import list_response, wants_xlsx
from units.models import Unit


def _staff_scope(request) -> Scope:
    scope = Scope.of(request.user)
    if not scope.is_staff_like:
        raise Http404
    return scope


def _yes(value: bool) -> str:
    return "是" if value else ""


@login_required
def area_list(request):
    scope = _staff_scope(request)
    areas = scope.areas().annotate(n_children=Count("children")).order_by("path")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        areas = areas.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if wants_xlsx(request):
        parents = dict(Area.objects.values_list("pk", "name"))
        return list_response(
            title="区域",
            filename="areas.xlsx",
            headers=["代码", "名称", "层级", "上级", "下级数"],
            rows=(
                [a.code, a.name, a.get_kind_display(), parents.get(a.parent_id, ""), a.n_children]
                for a in areas.iterator()
            ),
            filters={"查找": q},
        )
    page = Paginator(areas, 100).get_page(request.GET.get("page"))
    return render(request, "web/area_list.html", {"page": page, "q": q})


@login_required
def area_detail(request, pk: int):
    scope = _staff_scope(request)
    area = get_object_or_404(scope.areas(), pk=pk)
    children = scope.areas().filter(parent=area).annotate(n_children=Count("children"))
    buildings = (
        scope.buildings().filter(grid=area).annotate(n_households=Count("households"))
        if area.kind == Area.Kind.GRID
        else None
    )
    ancestors = Area.objects.filter(pk__in=area.ancestor_ids()).exclude(pk=area.pk).order_by("depth")
    units = scope.units().filter(areas_served=area)
    sections = [s for fn in discovered("AREA") if (s := fn(request, scope, area)) is not None]
    return render(
        request,
        "web/area_detail.html",
        {
            "area": area,
            "children": children,
            "buildings": buildings,
            "ancestors": ancestors,
            "units": units,
            "sections": sections,
            "can_change": scope.can_change_area(area),
            "people_count": scope.persons()
            .filter(
                Q(community__path__startswith=area.path)
                | Q(memberships__household__building__grid__path__startswith=area.path)
            )
            .count(),
        },
    )


@login_required
def unit_list(request):
    scope = _staff_scope(request)
    units = scope.units().select_related("home_area").order_by("kind", "code")
    kind = request.GET.get("kind", "")
    if kind:
        units = units.filter(kind=kind)
    if wants_xlsx(request):
        return list_response(
            title="单位",
            filename="units.xlsx",
            headers=["代码", "名称", "类型", "所属区域", "在用"],
            rows=(
                [
                    u.code,
                    u.name,
                    u.get_kind_display(),
                    u.home_area.name if u.home_area else "",
                    _yes(u.is_active),
                ]
                for u in units
            ),
            filters={"类型": str(Unit.Kind(kind).label) if kind in Unit.Kind.values else kind},
        )
    return render(
        request, "web/unit_list.html", {"units": units, "kind": kind, "kinds": units.model.Kind.choices}
    )


@login_required
def unit_detail(request, pk: int):
    scope = _staff_scope(request)
    unit = get_object_or_404(scope.units().select_related("home_area"), pk=pk)
    return render(
        request,
        "web/unit_detail.html",
        {
            "unit": unit,
            "areas": unit.areas_served.order_by("path"),
            "categories": unit.categories.all(),
            "party_orgs": unit.party_orgs.prefetch_related("co_building_links__community"),
            "can_change": scope.can_change_unit(unit),
        },
    )


@login_required
def person_list(request):
    scope = _staff_scope(request)
    people = scope.persons().select_related("community").order_by("id")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        people = people.filter(name__icontains=q)
    if wants_xlsx(request):  # phones as this user may see them (masked outside their scope)
        return list_response(
            title="人员",
            filename="people.xlsx",
            headers=["编号", "姓名", "电话", "社区", "党员"],
            rows=(
                [p.pk, p.name, phone, p.community.name if p.community else "", _yes(p.is_party_member)]
                for p, phone in scope.with_phones(people.iterator())
            ),
            filters={"姓名": q},
        )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    rows = list(scope.with_phones(page))
    return render(
        request,
        "web/person_list.html",
        {"page": page, "rows": rows, "q": q, "can_register": scope.person_communities().exists()},
    )


@login_required
def person_detail(request, pk: int):
    scope = Scope.of(request.user)
    person = get_object_or_404(scope.persons().select_related("community", "party_org", "user"), pk=pk)
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "phone": scope.phone_of(person),
            "memberships": reveal_homes(  # the full address: a row in the PIPL access log
                user=request.user,
                person=person,
                homes=person.memberships.select_related("household__building__grid"),
            ),
            "can_change": scope.can_change_person(person),
            "can_house": scope.houseable_buildings().exists(),
        },
    )
