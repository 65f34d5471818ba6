from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("compute/", views.compute, name="compute"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/results.xlsx", views.detail_xlsx, name="detail_xlsx"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/recompute/", views.recompute, name="recompute"),
    path("units/<int:unit_pk>/", views.unit_history, name="unit_history"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/manual/", views.manual_scores, name="manual_scores"),
]
