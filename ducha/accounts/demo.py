"""Demo sign-ins, one per persona: office, leader, 金科园 staff, 住建局 staff, and the three administrators."""

from ducha.units.models import Unit

from .models import Role, User
from .services import user_sync_admin_access

DEMO_USERS = [
    ("office", Role.OFFICE, None, "督查室 王敏"),
    ("leader", Role.LEADER, None, "区长 沈东"),
    ("jinkeyuan", Role.UNIT, "金科园", "金科园 李华"),
    ("zhujianju", Role.DEPARTMENT, "区住建局", "住建局 张强"),
    ("auditor", Role.AUDITOR, None, "审计管理员 周洁"),
    ("sysadmin", Role.SYSADMIN, None, "系统管理员 陈刚"),
    ("secadmin", Role.SECADMIN, None, "安全管理员 刘芳"),
]


def load(*, password: str, log) -> None:
    for username, role, unit_short_name, display_name in DEMO_USERS:
        unit = Unit.objects.get(short_name=unit_short_name) if unit_short_name else None
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "unit": unit,
                "display_name": display_name,
                "is_active": True,
                "password_must_change": False,
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user_sync_admin_access(user=user)
    log(f"users: {', '.join(u[0] for u in DEMO_USERS)}")
