"""小区与红色物业: the REST resources."""

from rest_framework.routers import SimpleRouter

from compounds.api import CompoundViewSet

router = SimpleRouter()
router.register("compounds", CompoundViewSet, basename="compound")

urlpatterns = router.urls
