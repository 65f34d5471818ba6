from auditlog.registry import auditlog


def audit_register(*models, exclude: tuple[str, ...] = ()) -> None:
    """Record every change of these models' own columns (not their reverse relations) in the audit trail."""
    for model in models:
        fields = [f.name for f in model._meta.concrete_fields if f.name not in exclude]
        auditlog.register(model, include_fields=fields)
