"""居民公约: the REST resources."""

from rest_framework.routers import SimpleRouter

from covenants.api import CovenantViewSet

router = SimpleRouter()
router.register("covenants", CovenantViewSet, basename="covenant")

urlpatterns = router.urls
