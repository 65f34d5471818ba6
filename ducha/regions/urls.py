from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("<str:code>/boundaries.geojson", views.boundaries, name="boundaries"),
]
