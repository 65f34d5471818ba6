from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class ExtractionConfig(AppConfig):
    name = "ducha.extraction"
    label = "extraction"
    verbose_name = APP_NAMES["extraction"]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Evidence, ExtractedFact, ImportedDocument

        # The document's full text and extraction would bloat every entry; the trail keeps who/when.
        auditlog.register(ImportedDocument, exclude_fields=["text", "extraction"])
        auditlog.register(ExtractedFact)
        auditlog.register(Evidence)
