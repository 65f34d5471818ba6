from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class RegionsConfig(AppConfig):
    name = "ducha.regions"
    label = "regions"
    verbose_name = APP_NAMES["regions"]
