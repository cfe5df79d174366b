"""活动: the REST resources."""

from rest_framework.routers import SimpleRouter

from activities.api import ActivityViewSet

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = router.urls
