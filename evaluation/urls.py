from django.urls import path

from evaluation import report_tasks, report_views, views

urlpatterns = [
    path("", views.index, name="evaluation-index"),
    path("area/<int:pk>/", views.area_dashboard, name="evaluation-area"),
    path("area/<int:pk>/export.xlsx", views.area_export, name="evaluation-area-export"),
    path("unit/<int:pk>/", views.unit_dashboard, name="evaluation-unit"),
    path("unit/<int:pk>/export.xlsx", views.unit_export, name="evaluation-unit-export"),
    path("rankings/", views.rankings, name="evaluation-rankings"),
    path("export/appeals.xlsx", views.appeal_export, name="evaluation-appeal-export"),
    path("reports/", report_views.report_list, name="evaluation-reports"),
    # publish/ before the file route: <str:kind> would match "publish" too (and 404 as an unknown kind)
    path("reports/<int:pk>/publish/", report_views.report_publish, name="evaluation-report-publish"),
    path("reports/<int:pk>/retry/", report_tasks.report_retry_view, name="evaluation-report-retry"),
    path("reports/<int:pk>/<str:kind>/", report_views.report_file, name="evaluation-report-file"),
    path("public/<str:code>/", report_views.public_figures, name="evaluation-public"),
]
