"""矛盾纠纷调解: the REST resources."""

from rest_framework.routers import SimpleRouter

from disputes.api import CaseViewSet, KindViewSet

router = SimpleRouter()
router.register("disputes/cases", CaseViewSet, basename="dispute-case")
router.register("disputes/kinds", KindViewSet, basename="dispute-kind")

urlpatterns = router.urls
