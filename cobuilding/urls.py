"""共建 and the party tree: the pages."""

from django.urls import path

from cobuilding import views
from cobuilding.reports import unit_report_pdf

urlpatterns = [
    path("", views.index, name="cobuilding-index"),
    path("community/<int:pk>/", views.community, name="cobuilding-community"),
    path("community/<int:pk>/agreements/new/", views.agreement_new, name="cobuilding-agreement-new"),
    path("party/<int:pk>/", views.org_detail, name="cobuilding-org"),
    path("party/<int:pk>/<slug:action>/", views.org_act, name="cobuilding-org-act"),
    path("agreements/<int:pk>/", views.agreement_detail, name="cobuilding-agreement"),
    path("agreements/<int:pk>/<slug:action>/", views.agreement_act, name="cobuilding-agreement-act"),
    path("units/<int:pk>/report/<int:year>.pdf", unit_report_pdf, name="cobuilding-unit-report"),
]
