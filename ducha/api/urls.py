from django.urls import path

from . import views

# "api" is the namespace of the API itself (django-ninja).
app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
