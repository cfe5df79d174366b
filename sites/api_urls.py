"""党群服务阵地: the REST resources."""

from rest_framework.routers import SimpleRouter

from sites.api import BookingViewSet, RecordViewSet, SiteViewSet

router = SimpleRouter()
router.register("sites", SiteViewSet, basename="site")
router.register("site-bookings", BookingViewSet, basename="site-booking")
router.register("site-records", RecordViewSet, basename="site-record")

urlpatterns = router.urls
