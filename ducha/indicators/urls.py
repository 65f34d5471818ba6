from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.table, name="table"),
    path("table.xlsx", views.table_xlsx, name="table_xlsx"),
    path("trend/<slug:code>/", views.trend, name="trend"),
    path("entry/<int:unit_pk>/", views.entry, name="entry"),
    path("import/", views.import_xlsx, name="import"),
    path("import/template.xlsx", views.template_download, name="template"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/add/", views.definition_edit, name="definition_add"),
    path("definitions/<int:pk>/", views.definition_edit, name="definition_edit"),
    path("definitions/<int:pk>/active/", views.definition_active, name="definition_active"),
    path("targets/", views.targets, name="targets"),
]
