from django.urls import path

from . import views

app_name = "extraction"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/facts/<int:fact_pk>/", views.fact_review, name="fact_review"),
]
