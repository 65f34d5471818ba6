from django.urls import path

from . import views, views_import, views_map

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("map/", views_map.project_map, name="map"),
    path("map/points.json", views_map.project_map_points, name="map_points"),
    path("import/", views_import.ledger_import, name="import"),
    path("import/template.xlsx", views_import.ledger_template, name="import_template"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/milestones/", views.milestones_lay_out, name="milestones"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/reached/", views.milestone_reached, name="milestone_reached"
    ),
    path("<int:pk>/reports/new/", views.report_submit, name="report_submit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/batch/", views.report_batch, name="report_batch"),
    path("settings/lights/", views.light_settings, name="light_settings"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
]
