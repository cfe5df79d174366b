"""走访: the REST resources."""

from rest_framework.routers import SimpleRouter

from visits.api import RoundViewSet, VisitViewSet

router = SimpleRouter()
router.register("visits/rounds", RoundViewSet, basename="visit-round")
router.register("visits", VisitViewSet, basename="visit")

urlpatterns = router.urls
