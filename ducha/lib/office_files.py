"""Guards for uploaded Office files (.xlsx, .docx are zip archives of XML) before any parser opens them.

A 300 KB zip can inflate to gigabytes (a zip bomb) and XML can expand entities without end (billion laughs):
the archive's directory is read first and refused when it is too large unpacked, has too many entries or a
member compressed past any real document's ratio, or when an XML part declares a DTD (Office files never do).
openpyxl also parses through defusedxml once it is installed (a dependency of ducha).
"""

from __future__ import annotations

import zipfile
from typing import IO

from django.utils.translation import gettext as _

# Real ledgers of 200,000 rows unpack to well under this; anything larger is not a document people type.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # unpacked ÷ packed for one member; spreadsheet XML compresses about 10–30 ×
XML_SUFFIXES = (".xml", ".rels")


class UnsafeOfficeFile(ValueError):
    """The file is refused before parsing; the message says why, for the user."""


def check_office_file(file: IO[bytes]) -> None:
    """Refuse an archive that would unpack too large or into too many parts, or whose XML declares entities.

    Reads only the zip directory and the XML of small members; leaves the file positioned at its start.
    """
    start = file.tell() if hasattr(file, "tell") else 0
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ENTRIES:
                raise UnsafeOfficeFile(
                    _("The file has %(parts)s parts; at most %(limit)s are accepted")
                    % {"parts": len(members), "limit": MAX_ENTRIES}
                )
            total = sum(m.file_size for m in members)
            if total > MAX_UNPACKED_BYTES:
                raise UnsafeOfficeFile(
                    _("The file unpacks to %(size)s MB; at most %(limit)s MB are accepted")
                    % {"size": total // 2**20, "limit": MAX_UNPACKED_BYTES // 2**20}
                )
            for member in members:
                if (
                    member.compress_size
                    and member.file_size / member.compress_size > MAX_RATIO
                    and member.file_size > 2**20
                ):
                    raise UnsafeOfficeFile(
                        _("The part %(part)s is compressed beyond any real document; it was not opened")
                        % {"part": member.filename}
                    )
            for member in members:
                if member.filename.endswith(XML_SUFFIXES):
                    with archive.open(member) as part:
                        head = part.read(8192)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:  # Office XML never declares a DTD
                        raise UnsafeOfficeFile(
                            _("The part %(part)s declares XML entities, which Office files never do")
                            % {"part": member.filename}
                        )
    except zipfile.BadZipFile:
        pass  # not an archive at all: the parser says so in its own words
    finally:
        file.seek(start)
