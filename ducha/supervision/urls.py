from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/plan/", views.round_plan, name="round_plan"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/itinerary/", views.round_itinerary, name="round_itinerary"),
    path("rounds/<int:pk>/delete/", views.round_delete, name="round_delete"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/export.xlsx", views.problem_export, name="problem_export"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/transition/", views.problem_transition, name="problem_transition"),
    path("problems/<int:pk>/orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("problems/stats/", views.stats, name="stats"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("settings/", views.settings_edit, name="settings"),
    path("inbox/", views.inbox, name="inbox"),
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_mark_read, name="notices_mark_read"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
