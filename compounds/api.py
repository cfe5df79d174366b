"""REST API of 小区: the compounds in scope with their bodies and the firm's current rating, and one action per
service.

Refusals: bad input → 400 with field messages; not the community's staff (or, to rate, not living there) → 403; a
compound outside the person's scope → 404; a step not allowed now (a body already ended, a second rating in the
quarter, a vote not yet closed) → 409.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from compounds import elections, ratings, selectors, services
from compounds import serializers as s
from compounds.models import Body, Compound, Member
from compounds.scope import visible_compounds
from compounds.views import communities, owners, people_for
from linli.api import REFUSALS
from linli.errors import ValidationError
from linli.inputs import JSONParser
from units.models import PartyOrg, Unit

ERRORS = {code: REFUSALS[code] for code in (400, 403, 404, 409)}


def _step(body, summary: str, response=s.CompoundSerializer):
    return extend_schema(request=body, responses={200: response, **ERRORS}, summary=summary)


class CompoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = s.CompoundSerializer

    def get_queryset(self):
        return visible_compounds(Scope.of(self.request.user)).order_by("community__path", "name")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.overviews(
            Compound.objects.filter(pk__in=[c.pk for c in page]).order_by("community__path", "name")
        )
        return self.get_paginated_response(s.CompoundSerializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(s.CompoundSerializer(selectors.overview(self.get_object())).data)

    def _done(self, compound: Compound) -> Response:
        return Response(s.CompoundSerializer(selectors.overview(compound)).data)

    def _body(self, compound: Compound, pk: int) -> Body:
        body = Body.objects.filter(compound=compound, pk=pk).first()
        if body is None:
            raise NotFound("本小区没有该组织")
        return body

    @_step(s.CompoundCreateSerializer, "登记小区（社区工作者）")
    def create(self, request):
        body = s.CompoundCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        community = communities(Scope.of(request.user)).filter(pk=data["community"]).first()
        if community is None:
            raise ValidationError({"community": "社区不存在或不在您的范围内"})
        compound = services.compound_create(
            user=request.user,
            community=community,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            address=data["address"],
            buildings=data["buildings"],
        )
        response = self._done(compound)
        response.status_code = 201
        return response

    @_step(s.BuildingsSerializer, "调整小区包含的楼栋（可跨网格）")
    @action(detail=True, methods=["post"])
    def buildings(self, request, pk=None):
        compound = self.get_object()
        body = s.BuildingsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.compound_set_buildings(
            user=request.user, compound_id=compound.pk, buildings=body.validated_data["buildings"]
        )
        return self._done(compound)

    @_step(s.BodyCreateSerializer, "登记自管会或业委会")
    @action(detail=True, methods=["post"])
    def bodies(self, request, pk=None):
        compound = self.get_object()
        body = s.BodyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.body_create(user=request.user, compound_id=compound.pk, **body.validated_data)
        return self._done(compound)

    @_step(s.FirmSerializer, "选聘（更换）物业服务企业；企业有党组织的为红色物业")
    @action(detail=True, methods=["post"])
    def firm(self, request, pk=None):
        compound = self.get_object()
        body = s.FirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        firm = Unit.objects.filter(pk=data["firm"]).first()
        if firm is None:
            raise ValidationError({"firm": "物业服务企业不存在"})
        org = None
        if data["party_org"]:
            org = PartyOrg.objects.filter(pk=data["party_org"]).first()
            if org is None:
                raise ValidationError({"party_org": "党组织不存在"})
        services.firm_appoint(
            user=request.user,
            compound_id=compound.pk,
            firm=firm,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            party_org=org,
        )
        return self._done(compound)

    @_step(s.MemberAddSerializer, "增补组织成员")
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        compound = self.get_object()
        body = s.MemberAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        target = self._body(compound, data["body"])
        person = people_for(target).filter(pk=data["person"]).first()
        if person is None:
            raise ValidationError({"person": "该人员不是本小区居民（或本物业的工作人员）"})
        services.member_add(user=request.user, body_id=target.pk, person=person, post=data["post"])
        return self._done(compound)

    @_step(s.MemberRemoveSerializer, "成员离任")
    @action(detail=True, methods=["post"], url_path="member-remove")
    def member_remove(self, request, pk=None):
        compound = self.get_object()
        body = s.MemberRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = Member.objects.filter(body__compound=compound, pk=body.validated_data["member"]).first()
        if member is None:
            raise NotFound("本小区没有该成员")
        services.member_remove(user=request.user, member_id=member.pk, reason=body.validated_data["reason"])
        return self._done(compound)

    @_step(s.BodyEndSerializer, "组织卸任、物业解聘")
    @action(detail=True, methods=["post"], url_path="body-end")
    def body_end(self, request, pk=None):
        compound = self.get_object()
        body = s.BodyEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = self._body(compound, body.validated_data["body"])
        services.body_end(user=request.user, body_id=target.pk, reason=body.validated_data["reason"])
        return self._done(compound)

    @_step(s.ScoresSerializer, "居民评价本小区物业（每季度一次）", s.RatingSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._rating(ratings.rating_submit)

    @_step(s.ScoresSerializer, "社区测评物业（每季度一次）", s.RatingSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        return self._rating(ratings.rating_assess)

    def _rating(self, fn) -> Response:
        compound = self.get_object()
        body = s.ScoresSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        comment = data.pop("comment")
        rating = fn(user=self.request.user, compound_id=compound.pk, scores=data, comment=comment)
        payload = {
            "id": rating.pk,
            "year": rating.year,
            "quarter": rating.quarter,
            "rater": rating.rater,
            "total": rating.total,
        }
        return Response(s.RatingSerializer(payload).data, status=201)

    @extend_schema(
        methods=["get"],
        responses={200: s.ElectionSerializer(many=True), **ERRORS},
        summary="本小区的业委会选举",
    )
    @_step(s.ElectionCreateSerializer, "组织业委会选举：公示候选人", s.ElectionSerializer)
    @action(detail=True, methods=["get", "post"])
    def elections(self, request, pk=None):
        compound = self.get_object()
        if request.method == "GET":
            rows = compound.elections.prefetch_related("candidates__person")
            return Response(s.ElectionSerializer(rows, many=True).data)
        body = s.ElectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        allowed = {p.pk: p for p in owners(compound).filter(pk__in=data["candidates"])}
        missing = [pk for pk in data["candidates"] if pk not in allowed]
        if missing:
            raise ValidationError({"candidates": f"候选人须是本小区业主（{len(missing)} 人不是）"})
        election = elections.election_create(
            user=request.user,
            compound_id=compound.pk,
            seats=data["seats"],
            candidates=[allowed[pk] for pk in data["candidates"]],
            term_years=data["term_years"],
            days=data["days"],
        )
        return Response(s.ElectionSerializer(election).data, status=201)

    @_step(s.ElectionStepSerializer, "选举的一步：开始投票、计票并公布、取消", s.ElectionSerializer)
    @action(detail=True, methods=["post"], url_path="election-step")
    def election_step(self, request, pk=None):
        compound = self.get_object()
        body = s.ElectionStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        election = compound.elections.filter(pk=data["election"]).first()
        if election is None:
            raise NotFound("本小区没有该选举")
        if data["step"] == "open":
            if "closes_at" not in data:
                raise ValidationError({"closes_at": "请填写投票截止时间"})
            done = elections.election_open(
                user=request.user, election_id=election.pk, closes_at=data["closes_at"]
            )
        elif data["step"] == "close":
            done = elections.election_close(user=request.user, election_id=election.pk)
        else:
            done = elections.election_cancel(
                user=request.user, election_id=election.pk, reason=data["reason"]
            )
        return Response(s.ElectionSerializer(done).data)
