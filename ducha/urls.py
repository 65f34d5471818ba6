from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ducha.accounts.forms import LoginForm
from ducha.api.api import api

urlpatterns = [
    path("", include("ducha.core.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", include("ducha.api.urls")),
    path("accounts/", include("ducha.accounts.urls")),
    path("projects/", include("ducha.projects.urls")),
    path("units/", include("ducha.units.urls")),
    path("regions/", include("ducha.regions.urls")),
    path("supervision/", include("ducha.supervision.urls")),
    path("indicators/", include("ducha.indicators.urls")),
    path("evaluation/", include("ducha.evaluation.urls")),
    path("cockpit/", include("ducha.cockpit.urls")),
    path("imports/", include("ducha.extraction.urls")),
    path("jobs/", include("ducha.jobs.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # in production nginx serves media
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
