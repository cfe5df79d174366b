from django.urls import path

from triage import views

urlpatterns = [
    path("hotspots/", views.hotspot_list, name="triage-hotspots"),
    path("routing/", views.routing_rules, name="triage-routing"),
    path("routing/<int:pk>/delete/", views.routing_rule_delete, name="triage-routing-delete"),
]
