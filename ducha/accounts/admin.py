from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserCreationForm, UsernameField
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.lib.admin_names import permission_label

from .middleware import two_factor_required
from .models import ADMIN_ROLES, Role, User
from .services import user_sync_admin_access


# The administration site has no sign-in form of its own: ducha's sign-in (with its one-time code) is the
# only door, and a session that has not passed the second factor where it is needed does not get in.
def _admin_login(request, extra_context=None):
    if request.user.is_authenticated:  # signed in, but not an administrator (or without the one-time code)
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _admin_login  # type: ignore[method-assign]


def _admin_site_has_permission(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if (two_factor_required(user) or _has_device(user)) and not user.is_verified():
        return False
    return True


def _has_device(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user)


admin.site.has_permission = _admin_site_has_permission  # type: ignore[method-assign]


class ResetPasswordForm(AdminPasswordChangeForm):
    """An administrator's reset: the user must choose a new password at the next sign-in."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.password_must_change = True
        user.password_changed_at = timezone.now()
        if commit:
            user.save()
        return user


class NewUserForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}


class PermissionLabels:
    """Permissions listed as "项目台账 | 项目 | 查看项目" rather than Django's stored English."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in {"permissions", "user_permissions"} and field is not None:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabels, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(PermissionLabels, BaseUserAdmin):
    """People, with 三权分立: the system administrator keeps accounts (not roles, not the other administrators);
    the security administrator gives roles, groups and permissions (not passwords, not to themselves);
    only a superuser makes superusers."""

    add_form = NewUserForm
    change_password_form = ResetPasswordForm
    list_display = ["username", "display_name", "role", "region", "unit", "is_active", "last_login"]
    list_filter = ["role", "region", "unit", "is_active"]
    autocomplete_fields = ["region"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("ducha"), {"fields": ("unit", "display_name", "phone")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        account = (
            None,
            {"fields": ("username", "password", "display_name", "phone", "email", "unit", "is_active")},
        )
        access = (
            _("Role and permissions"),
            {"fields": ("role", "region", "groups", "user_permissions", "is_superuser")},
        )
        dates = (_("Important dates"), {"fields": ("last_login", "date_joined", "password_changed_at")})
        return (account, access, dates)

    def get_readonly_fields(self, request, obj=None):
        user = request.user
        readonly = {"last_login", "date_joined", "password_changed_at", "is_superuser"}
        if user.is_superuser:
            readonly.discard("is_superuser")
        if user.is_system_admin:
            readonly |= {"role", "region", "groups", "user_permissions"}
        if user.is_security_admin:
            readonly |= {"username", "display_name", "phone", "email", "unit"}
            if obj is not None and obj.pk == user.pk:
                readonly |= {
                    "role",
                    "region",
                    "groups",
                    "user_permissions",
                    "is_active",
                }  # no one raises their own rights
        return sorted(readonly)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("unit", "region")
        if request.user.is_superuser:
            return queryset
        queryset = queryset.filter(is_superuser=False)
        if request.user.is_system_admin:  # the other administrators' accounts are not the system admin's
            return queryset.filter(~Q(role__in=[*ADMIN_ROLES, Role.AUDITOR]) | Q(pk=request.user.pk))
        return queryset

    def user_change_password(self, request, id, form_url=""):
        if not (request.user.is_superuser or request.user.is_system_admin):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.password_must_change = (
                True  # an account made by an administrator: its first sign-in changes it
            )
        super().save_model(request, obj, form, change)
        user_sync_admin_access(user=obj)
