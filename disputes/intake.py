"""Registering a dispute on a page: a grid worker on a visit (phone first), the community at the hotline or with a
case handed down, a resident asking for mediation of their own dispute; and an appeal converted into a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals.selectors import visible_appeals
from areas.models import Area
from disputes import forms, services
from disputes.models import Case, DisputeKind, Party, Risk, Source
from disputes.scope import may_register, register_places, registers_anywhere
from linli.errors import PermissionDenied, TransitionError, ValidationError, messages_of
from linli.inputs import positive_id
from linli.refusals import refusal

STAFF_SOURCES = [c for c in Source.choices if c[0] not in (Source.APPEAL, Source.RESIDENT)]


def _from_visit(query, buildings) -> dict[str, str]:
    """A grid worker coming from a household visit (``?household=<pk>&visit=<pk>``): the household's grid and
    building are chosen and the source is the visit, if the building is among those this person may choose."""
    from people.models import Household

    household = Household.objects.filter(pk=positive_id(query.get("household")) or 0).first()
    building = next((b for b in buildings if household is not None and b.pk == household.building_id), None)
    if building is None:
        return {}
    return {"area": str(building.grid_id), "building": str(building.pk), "source": Source.VISIT}


@login_required
def case_new(request):
    scope = Scope.of(request.user)
    staff = registers_anywhere(scope)
    person = scope.person
    if not staff and (person is None or person.community_id is None):
        raise PermissionDenied("您没有可以登记纠纷的社区")
    places = list(register_places(scope).order_by("path")[:300]) if staff else []
    grids = [a for a in places if a.kind == Area.Kind.GRID]
    buildings = list(scope.buildings().filter(grid__in=grids).order_by("code")[:300]) if staff else []
    errors: list[str] = []
    values = request.POST if request.method == "POST" else _from_visit(request.GET, buildings)
    if request.method == "POST":
        fields, parties = forms.register(request.POST)
        place_id = positive_id(request.POST.get("area"))
        area = next((a for a in places if a.pk == place_id), None) if staff else person.community
        building_id = positive_id(request.POST.get("building"))
        building = next((b for b in buildings if b.pk == building_id), None)
        kind = DisputeKind.objects.filter(pk=positive_id(request.POST.get("kind")) or 0, active=True).first()
        try:
            if area is None and building is None:
                raise ValidationError({"area": "请选择纠纷发生的网格或社区"})
            case = services.case_register(
                user=request.user,
                kind=kind,  # type: ignore[arg-type]
                community=area if area is not None and area.kind == Area.Kind.COMMUNITY else None,
                grid=area if area is not None and area.kind == Area.Kind.GRID else None,
                building=building,
                parties=parties,
                **{**fields, "source": fields["source"] if staff else Source.RESIDENT},
            )
        except ValidationError as exc:
            errors = messages_of(exc)
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(
                request, f"已登记纠纷 {case.number}" + ("，等待社区受理" if staff else "，社区会尽快联系您")
            )
            return redirect("dispute-detail", pk=case.pk)
    return render(
        request,
        "disputes/new.html",
        {
            "staff": staff,
            "places": places,
            "buildings": buildings,
            "kinds": DisputeKind.objects.filter(active=True),
            "sources": STAFF_SOURCES,
            "risks": Risk.choices,
            "sides": Party.Side.choices,
            "party_rows": _party_rows(values, None if staff else person),
            "errors": errors,
            "values": values,
            "me": person,
        },
    )


def _party_rows(values, me) -> list[dict]:
    rows = []
    for i in range(1, forms.PARTY_ROWS + 1):
        side = Party.Side.APPLICANT if i == 1 else Party.Side.RESPONDENT
        name = me.name if (i == 1 and me is not None) else ""
        row = {"i": i, "side": side, "name": name, "phone": "", "address": "", "statement": ""}
        for key in ("side", "name", "phone", "address", "statement"):
            row[key] = values.get(f"{key}_{i}", row[key]) if values else row[key]
        rows.append(row)
    return rows


@login_required
@require_POST
def case_from_appeal(request, appeal_pk: int):
    """诉求转为纠纷案件 from the appeal's page: the raiser is the applicant, the other side is named here."""
    scope = Scope.of(request.user)
    appeal = visible_appeals(scope).filter(pk=appeal_pk).first()
    if appeal is None:
        from django.http import Http404

        raise Http404
    kind = DisputeKind.objects.filter(pk=positive_id(request.POST.get("kind")) or 0, active=True).first()
    respondent = {
        "name": request.POST.get("respondent_name", ""),
        "phone": request.POST.get("respondent_phone", ""),
        "statement": request.POST.get("respondent_statement", ""),
    }
    try:
        if kind is None:
            raise ValidationError({"kind": "请选择纠纷类型"})
        case = services.case_convert_appeal(
            user=request.user,
            appeal_id=appeal.pk,
            kind=kind,
            respondent=respondent,
            risk=request.POST.get("risk", "low"),
        )
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
        return redirect("appeal-detail", pk=appeal.pk)
    messages.success(request, f"已转为纠纷案件 {case.number}，诉求保留原有办理记录")
    return redirect("dispute-detail", pk=case.pk)


def appeal_box(scope: Scope, appeal) -> dict:
    """What the appeal's page shows about disputes: the linked case (if this person may see it), or the form to
    convert the appeal (if they may)."""
    case = Case.objects.filter(appeal=appeal).first()
    if case is not None:
        from disputes.scope import visible_cases

        return {"case": case if visible_cases(scope).filter(pk=case.pk).exists() else None, "linked": True}
    can = appeal.status not in ("withdrawn",) and may_register(scope, appeal.community, appeal.grid)
    return {
        "can_convert": can,
        "kinds": DisputeKind.objects.filter(active=True) if can else [],
        "appeal": appeal,
    }
