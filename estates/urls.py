"""楼院三长: the pages."""

from django.urls import path

from estates import letters, views

urlpatterns = [
    path("", views.index, name="estates-index"),
    path("community/<int:pk>/", views.community, name="estates-community"),
    path("buildings/<int:pk>/", views.building, name="estates-building"),
    path("buildings/<int:pk>/appoint/", views.building_act, name="estates-appoint"),
    path("stewards/<int:pk>/end/", views.steward_end_view, name="estates-steward-end"),
    path("stewards/<int:pk>/letter.pdf", letters.letter, name="estates-letter"),
]
