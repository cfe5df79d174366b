"""矛盾纠纷调解: the pages."""

from django.urls import path

from disputes import intake, ledger, views

urlpatterns = [
    path("", views.case_board, name="dispute-board"),
    path("new/", intake.case_new, name="dispute-new"),
    path("mine/", views.my_disputes, name="dispute-mine"),
    path("ledger.xlsx", ledger.ledger_export, name="dispute-ledger"),
    path("from-appeal/<int:appeal_pk>/", intake.case_from_appeal, name="dispute-from-appeal"),
    path("<int:pk>/", views.case_detail, name="dispute-detail"),
    path("<int:pk>/agreement.pdf", views.agreement_document, name="dispute-agreement-pdf"),
    path("<int:pk>/agreements/<int:agreement_pk>/scan/", views.agreement_scan, name="dispute-scan"),
    path("<int:pk>/<str:action>/", views.case_act, name="dispute-act"),
]
