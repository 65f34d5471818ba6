"""Validation of an OC4IDS project package with libcoveoc4ids (the standard's maintained validator, a test
extra: `pip install -e '.[test]'`), offline: against the schema and codelists vendored in data/oc4ids/.

libcoveoc4ids itself reads the schema from the standard's web site and the codelists from GitHub on every run;
`OfflineSchema` gives it the same files from disk, so that CI and a government intranet validate alike.
"""

from __future__ import annotations

import csv
import functools
import json
import tempfile
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "oc4ids"
SCHEMA_VERSION = "0.9.5"


@functools.cache
def _codelist(name: str) -> dict[str, str]:
    with open(SCHEMA_DIR / "codelists" / name, encoding="utf-8", newline="") as f:
        return {row["Code"]: row["Title"] for row in csv.DictReader(f)}


@functools.cache
def _schema_file(name: str) -> Any:
    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        return json.load(f)


def _offline_schema_class():
    import jsonref  # type: ignore[import-untyped]
    from libcove.lib.common import get_schema_codelist_paths  # type: ignore[import-untyped]
    from libcoveoc4ids.config import LibCoveOC4IDSConfig  # type: ignore[import-untyped]
    from libcoveoc4ids.schema import SchemaOC4IDS  # type: ignore[import-untyped]

    def local_loader(uri: str, **kwargs) -> Any:
        # The schema's $refs name the standard's URLs; the files are the vendored ones of the same name.
        return _schema_file(uri.rstrip("/").rsplit("/", 1)[-1])

    class OfflineSchema(SchemaOC4IDS):
        def __init__(self):
            host = f"{SCHEMA_DIR}/"
            super().__init__(
                LibCoveOC4IDSConfig(
                    {
                        "schema_version": SCHEMA_VERSION,
                        "schema_version_choices": {SCHEMA_VERSION: (SCHEMA_VERSION, host)},
                        "schema_host": host,
                        "schema_codelists": {"0.9": f"{SCHEMA_DIR}/codelists/"},
                    }
                )
            )

        @functools.cached_property
        def schema_str(self) -> str:
            return (SCHEMA_DIR / self.schema_name).read_text(encoding="utf-8")

        @functools.cached_property
        def pkg_schema_str(self) -> str:
            return (SCHEMA_DIR / self.pkg_schema_name).read_text(encoding="utf-8")

        def deref_schema(self, schema_str):
            deref = jsonref.loads(schema_str, loader=local_loader)
            repr(deref)  # resolve every reference now, as libcove does
            return deref

        def process_codelists(self):
            self.core_codelist_schema_paths = get_schema_codelist_paths(self, use_extensions=False)
            self.extended_codelist_schema_paths = get_schema_codelist_paths(self, use_extensions=True)
            names = {value[0] for value in self.core_codelist_schema_paths.values()}
            self.core_codelists = {name: _codelist(name) for name in names}
            self.extended_codelists = self.core_codelists

    return OfflineSchema


def oc4ids_review(package: dict) -> dict:
    """libcoveoc4ids' full review of a package (its `oc4ids_json_output`), read from the vendored schema."""
    from libcoveoc4ids.common_checks import common_checks_oc4ids  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="ducha-oc4ids-") as output_dir:
        return common_checks_oc4ids(
            {"file_type": "json"}, output_dir, package, _offline_schema_class()(), cache=False
        )


def review_summary(review: dict) -> dict[str, Any]:
    """What a publisher acts on: schema errors (as libcove groups them: one entry per message and field, with
    the paths where it occurs), values outside closed and open codelists, additional and conformance checks."""
    errors = []
    for key, paths in review.get("validation_errors", []):
        info = json.loads(key)
        errors.append(
            {"message": info.get("message"), "path": info.get("path_no_number"), "count": len(paths)}
        )
    return {
        "errors": errors,
        "error_count": sum(e["count"] for e in errors),
        "closed_codelist_values": {
            path: sorted(v["values"])
            for path, v in review.get("additional_closed_codelist_values", {}).items()
        },
        "open_codelist_values": {
            path: sorted(v["values"]) for path, v in review.get("additional_open_codelist_values", {}).items()
        },
        "additional_checks": [
            {"check": c["check_id"], "count": len(c.get("paths", []))}
            for c in review.get("additional_checks", [])
        ],
        "conformance_checks": [
            {"check": c["check_id"], "count": len(c.get("path_values", []))}
            for c in review.get("conformance_checks", [])
        ],
    }
