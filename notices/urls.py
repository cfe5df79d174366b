from django.urls import path

from notices import views

# Mounted at /community/: the public pages need no login.
urlpatterns = [
    path("<str:code>/", views.community_page, name="community-page"),
    path("<str:code>/notices/<int:pk>/", views.notice_page, name="notice-page"),
    path("<str:code>/notices/<int:pk>/objections/", views.objection_new, name="objection-new"),
    path(
        "<str:code>/notices/<int:pk>/objections/<int:objection_id>/answer/",
        views.objection_answer,
        name="objection-answer",
    ),
]
