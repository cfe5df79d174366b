from django.urls import path

from spreadsheets import views

urlpatterns = [
    path("", views.home, name="spreadsheet-home"),
    path("template.xlsx", views.template, name="spreadsheet-template"),
    path("export.xlsx", views.export, name="spreadsheet-export"),
]
