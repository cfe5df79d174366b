from django.contrib.auth import views as auth_views
from django.urls import include, path

from people import views as people_views
from web import home, hub, register, views

urlpatterns = [
    path("appeals/", include("appeals.urls")),
    path("inbox/", include("notifications.urls")),
    path("triage/", include("triage.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("needs/", include("needs.urls")),
    path("projects/", include("projects.urls")),
    path("deliberation/", include("deliberation.urls")),
    path("disputes/", include("disputes.urls")),
    path("sites/", include("sites.urls")),
    path("activities/", include("activities.urls")),
    path("visits/", include("visits.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("covenants/", include("covenants.urls")),
    path("councils/", include("councils.urls")),
    path("estates/", include("estates.urls")),
    path("streets/", include("streets.urls")),
    path("compounds/", include("compounds.urls")),
    path("cobuilding/", include("cobuilding.urls")),
    path("open311/", include("open311.urls")),
    path("community/", home.community_index, name="community-index"),  # public: no login
    path("community/", include("notices.urls")),  # public: no login
    path("", home.home, name="home"),
    path("hub/", hub.hub, name="hub"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("elder-mode/", people_views.elder_mode_set, name="elder-mode"),
    path("areas/", views.area_list, name="area-list"),
    path("areas/<int:pk>/", views.area_detail, name="area-detail"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", register.unit_edit, name="unit-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", register.person_new, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", register.person_edit, name="person-edit"),
    path("people/<int:pk>/housing/", register.person_housing, name="person-housing"),
    path(
        "people/<int:pk>/housing/<int:member_pk>/move-out/", register.person_move_out, name="person-move-out"
    ),
    path("spreadsheets/", include("spreadsheets.urls")),
    path("access/", include("access.urls")),
]
