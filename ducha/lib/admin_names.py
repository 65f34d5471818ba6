"""Chinese names in the administration site where Django and the libraries ducha uses have none.

Application names carry the context "application", so that "Projects" as a section of the site is not
confused with "Projects" as a count in a table. Permissions are labelled "项目台账 | 项目 | 查看项目" instead
of Django's stored English "Can view project". This module's strings are translated in ducha.lib's catalog,
which comes first on LOCALE_PATHS.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, gettext_noop, pgettext, pgettext_lazy

APP_NAMES = {
    "accounts": pgettext_lazy("application", "Accounts"),
    "api": pgettext_lazy("application", "API"),
    "cockpit": pgettext_lazy("application", "Cockpit and bulletins"),
    "core": pgettext_lazy("application", "Audit"),
    "evaluation": pgettext_lazy("application", "Evaluation"),
    "extraction": pgettext_lazy("application", "Report import"),
    "indicators": pgettext_lazy("application", "Indicators"),
    "projects": pgettext_lazy("application", "Projects"),
    "regions": pgettext_lazy("application", "Regions"),
    "supervision": pgettext_lazy("application", "Supervision"),
    "units": pgettext_lazy("application", "Units"),
    # libraries whose applications have no translated name
    "auditlog": pgettext_lazy("application", "Change log"),
    "axes": pgettext_lazy("application", "Sign-in lockout"),
    "django_otp": pgettext_lazy("application", "Two-factor sign-in"),
    "otp_totp": pgettext_lazy("application", "One-time codes (authenticator app)"),
    "otp_static": pgettext_lazy("application", "Backup codes"),
    "django_htmx": pgettext_lazy("application", "Page updates"),
    "ninja": pgettext_lazy("application", "API documentation"),
}

# Models whose verbose name is not translatable where they are defined.
MODEL_NAMES = {
    ("otp_totp", "totpdevice"): gettext_lazy("authenticator app"),
    ("otp_static", "staticdevice"): gettext_lazy("backup code list"),
    ("otp_static", "statictoken"): gettext_lazy("backup code"),
    ("core", "auditseal"): gettext_lazy("audit seal"),
    ("core", "auditpurgemark"): gettext_lazy("audit purge mark"),
}

# Words of Django's administration templates that its Chinese catalog lacks (Django 5.2).
ADMIN_WORDS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]
# The libraries' own words, translated here where their catalogs have no Chinese.
LIBRARY_WORDS = [
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]


def model_name(model) -> str:
    meta = model._meta
    return str(MODEL_NAMES.get((meta.app_label, meta.model_name), meta.verbose_name))


def permission_label(permission) -> str:
    """ "项目台账 | 项目 | 查看项目" for the permission "view_project"."""
    from django.apps import apps

    model = permission.content_type.model_class()
    app = permission.content_type.app_label
    section = str(apps.get_app_config(app).verbose_name) if app in apps.app_configs else app
    if model is None:
        return f"{section} | {permission.name}"
    name = model_name(model)
    action = permission.codename.split("_", 1)[0]
    actions = {
        "add": pgettext("permission", "Add %(model)s"),
        "change": pgettext("permission", "Change %(model)s"),
        "delete": pgettext("permission", "Delete %(model)s"),
        "view": pgettext("permission", "View %(model)s"),
    }
    what = actions[action] % {"model": name} if action in actions else permission.name
    return f"{section} | {name} | {what}"
