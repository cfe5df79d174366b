from django.urls import path

from spreadsheets.api import ExportView, ImportView, TemplateView

urlpatterns = [
    path("import/", ImportView.as_view(), name="api-spreadsheet-import"),
    path("export/", ExportView.as_view(), name="api-spreadsheet-export"),
    path("template/", TemplateView.as_view(), name="api-spreadsheet-template"),
]
