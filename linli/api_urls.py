"""The REST resources, one router for all apps."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from appeals.api import AppealViewSet
from areas.api import AreaViewSet, BuildingViewSet
from deliberation.api import MeetingViewSet, TopicViewSet, VoteViewSet
from evaluation.api import FiguresView
from needs.api import NeedViewSet
from notices.api import NoticeViewSet
from people.api import PersonViewSet
from triage.api import HotspotViewSet, IntakeHintViewSet, RoutingRuleViewSet
from units.api import PartyOrgViewSet, UnitViewSet

router = DefaultRouter()
router.register("appeals", AppealViewSet, basename="appeal")
router.register("areas", AreaViewSet, basename="area")
router.register("buildings", BuildingViewSet, basename="building")
router.register("units", UnitViewSet, basename="unit")
router.register("party-orgs", PartyOrgViewSet, basename="partyorg")
router.register("people", PersonViewSet, basename="person")
router.register("topics", TopicViewSet, basename="topic")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("votes", VoteViewSet, basename="vote")
router.register("notices", NoticeViewSet, basename="notice")
router.register("needs", NeedViewSet, basename="need")
router.register("hotspots", HotspotViewSet, basename="hotspot")
router.register("routing-rules", RoutingRuleViewSet, basename="routingrule")
router.register("triage", IntakeHintViewSet, basename="triage")

urlpatterns = [path("figures/", FiguresView.as_view(), name="api-figures"), *router.urls]
