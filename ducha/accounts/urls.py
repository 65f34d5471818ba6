from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("audit/", views.audit_trail, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("audit/logins/", views.login_trail, name="logins"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
]
