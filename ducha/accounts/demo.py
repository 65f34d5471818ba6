"""Demo sign-ins, one per persona: Jintan's office, leader, 金科园 staff, 住建局 staff; the city's office and
leader; the offices of the two other districts; and the three administrators. Besides, a liaison (联络员) for
each other department that leads a demo problem: the steps of its problems are taken by a person of the
department, as the app records them."""

from ducha.regions.demo import CITY, JINTAN, LIYANG, WUJIN, region
from ducha.units.demo import jintan_units

from .models import Role, User
from .services import user_sync_admin_access

# username, role, unit short name (a Jintan unit), region code (office and leaders), display name
DEMO_USERS = [
    ("office", Role.OFFICE, None, JINTAN, "督查室 王敏"),
    ("leader", Role.LEADER, None, JINTAN, "区长 沈东"),
    ("jinkeyuan", Role.UNIT, "金科园", None, "金科园 李华"),
    ("zhujianju", Role.DEPARTMENT, "区住建局", None, "住建局 张强"),
    ("auditor", Role.AUDITOR, None, None, "审计管理员 周洁"),
    ("sysadmin", Role.SYSADMIN, None, None, "系统管理员 陈刚"),
    ("secadmin", Role.SECADMIN, None, None, "安全管理员 刘芳"),
    ("city_office", Role.OFFICE, None, CITY, "市重点办 赵宁"),
    ("city_leader", Role.LEADER, None, CITY, "副市长 许峰"),
    ("wujin_office", Role.OFFICE, None, WUJIN, "武进区督查室 蒋丽"),
    ("liyang_office", Role.OFFICE, None, LIYANG, "溧阳市督查室 吴涛"),
]
# username, department (a Jintan unit, by name), display name
DEPARTMENT_LIAISONS = [
    ("fagaiju", "区发展和改革局", "发改局 孙悦"),
    ("rensheju", "区人力资源和社会保障局", "人社局 钱丽"),
    ("zirangziyuanju", "区自然资源和规划局", "自然资源局 冯磊"),
    ("shengtaihuanjingju", "区生态环境局", "生态环境局 韩静"),
    ("xingzhengshenpiju", "区行政审批局", "行政审批局 朱涛"),
    ("caizhengju", "区财政局", "财政局 何芸"),
]


def load(*, password: str, log) -> None:
    liaisons = [
        (username, Role.DEPARTMENT, jintan_units().get(name=department), None, display_name)
        for username, department, display_name in DEPARTMENT_LIAISONS
    ]
    people = [
        (username, role, jintan_units().get(short_name=unit) if unit else None, region_code, display_name)
        for username, role, unit, region_code, display_name in DEMO_USERS
    ]
    for username, role, unit, region_code, display_name in people + liaisons:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "unit": unit,
                "region": region(region_code) if region_code else None,
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
