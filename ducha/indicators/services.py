"""Writes of indicator values: the monthly form of one unit and the .xlsx import of a whole month."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.lib import clock
from ducha.lib.office_files import UnsafeOfficeFile, check_office_file
from ducha.projects.services import StaleEdit
from ducha.units.models import Unit

from . import rules
from .models import Indicator, IndicatorTarget, IndicatorValue
from .selectors import target_units

DISTRICT_LABEL = "全区"
MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class Entry:
    """One figure to store: the value, and whether it corrects an earlier, higher cumulative figure.

    `expected_version` is the version of the stored figure the form (or API client) started from: 0 when there
    was none yet, None to skip the lost-update check (the .xlsx import replaces a whole month on purpose).
    """

    indicator: Indicator
    value: Decimal
    is_correction: bool = False
    reason: str = ""
    expected_version: int | None = None


class StaleValues(StaleEdit):
    """Someone stored some of these figures after the form was opened; nothing was saved.

    `stale` lists (entry sent, figure stored now or None); `current` is the first stored figure.
    """

    def __init__(self, stale: list[tuple[Entry, IndicatorValue | None]]):
        super().__init__(next((v for _e, v in stale if v is not None), None))
        self.stale = stale


def _is_future(year: int, month: int, today: datetime.date) -> bool:
    return (year, month) > (today.year, today.month)


def _previous_values(
    *, indicator_ids, year: int, month: int, unit_ids
) -> dict[tuple[int, int | None], Decimal]:
    """Last month's values (same year) for cumulative checks, keyed by (indicator id, unit id)."""
    if month == 1:
        return {}
    rows = IndicatorValue.objects.filter(indicator_id__in=indicator_ids, year=year, month=month - 1)
    unit_filter = [u for u in unit_ids if u is not None]
    if None in unit_ids:
        rows = rows.filter(unit_id__in=unit_filter) | rows.filter(unit__isnull=True)
    else:
        rows = rows.filter(unit_id__in=unit_filter)
    return {(v.indicator_id, v.unit_id): v.value for v in rows}


def _entry_problem(entry: Entry, previous: Decimal | None) -> str | None:
    if (
        entry.indicator.cumulative
        and rules.cumulative_drop(previous, entry.value)
        and not entry.is_correction
    ):
        return _(
            "%(indicator)s: the cumulative figure %(value)s is below last month's %(previous)s; "
            "mark it as a correction and give the reason."
        ) % {
            "indicator": entry.indicator.name,
            "value": rules.format_measure(entry.value, entry.indicator.measure),
            "previous": rules.format_measure(previous, entry.indicator.measure),
        }
    if entry.is_correction and not entry.reason.strip():
        return _("%(indicator)s: a correction needs a reason.") % {"indicator": entry.indicator.name}
    return None


def _unit_is(unit_id: int | None) -> Q:
    """The figures of one unit, or of the district (no unit) when `unit_id` is None."""
    return Q(unit__isnull=True) if unit_id is None else Q(unit_id=unit_id)


def _store(*, unit_id: int | None, year: int, month: int, entries: list[Entry], user) -> int:
    """Inside a transaction: lock the month's stored figures, refuse them all (StaleValues) when any changed
    since its entry's expected_version, else store each one and raise its version."""
    stored = {
        v.indicator_id: v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(_unit_is(unit_id), indicator_id__in=[e.indicator.pk for e in entries], year=year, month=month)
        .order_by()  # the default ordering joins the units, which PostgreSQL will not lock
    }
    stale = [
        (entry, stored.get(entry.indicator.pk))
        for entry in entries
        if entry.expected_version is not None
        and entry.expected_version != getattr(stored.get(entry.indicator.pk), "version", 0)
    ]
    if stale:
        raise StaleValues(stale)
    for entry in entries:
        obj = stored.get(entry.indicator.pk) or IndicatorValue(
            indicator=entry.indicator, unit_id=unit_id, year=year, month=month, version=0
        )
        obj.value = entry.value
        obj.is_correction = entry.is_correction
        obj.correction_reason = entry.reason.strip() if entry.is_correction else ""
        obj.entered_by = user
        obj.version += 1
        obj.full_clean(validate_unique=False, validate_constraints=False)
        if obj.pk:
            obj.save()
            continue
        try:
            with transaction.atomic():  # someone stored the first figure of this month a moment ago
                obj.save()
        except IntegrityError:
            current = IndicatorValue.objects.filter(
                _unit_is(unit_id), indicator=entry.indicator, year=year, month=month
            ).first()
            raise StaleValues([(entry, current)]) from None
    return len(entries)


def indicator_values_save(
    *,
    unit: Unit | None,
    year: int,
    month: int,
    entries: list[Entry],
    user,
    today: datetime.date | None = None,
) -> int:
    """Store one unit's figures for one month (unit None = the district).

    Refuses, storing nothing, a month in the future and a cumulative figure below last month's
    that is not marked as a correction with a reason (ValidationError), and figures someone else stored since
    their Entry.expected_version (StaleValues, a StaleEdit). Returns the number of figures stored.
    """
    today = today or clock.today()
    if _is_future(year, month, today):
        raise ValidationError(_("%(year)s-%(month)02d is in the future.") % {"year": year, "month": month})
    unit_id = unit.pk if unit else None
    previous = _previous_values(
        indicator_ids=[e.indicator.pk for e in entries], year=year, month=month, unit_ids=[unit_id]
    )
    problems = [p for e in entries if (p := _entry_problem(e, previous.get((e.indicator.pk, unit_id))))]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return _store(unit_id=unit_id, year=year, month=month, entries=entries, user=user)


# ---------------------------------------------------------------- .xlsx import


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    stored: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_headers(indicators) -> list[str]:
    return [_("Year"), _("Month"), _("Unit"), *[i.name for i in indicators], _("Correction reason")]


def _header_is(name: str, msgid: str) -> bool:
    """Headers are accepted in English and in the language of the template that was downloaded."""
    return name in {msgid, _(msgid)}


def _int_cell(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def indicator_import_xlsx(*, file, user, today: datetime.date | None = None) -> ImportResult:
    """Import a month of figures for all units from the template; all rows or none.

    Every problem is reported with its row number (as Excel shows it) and column.
    """
    from openpyxl import load_workbook

    today = today or clock.today()
    result = ImportResult()
    try:
        check_office_file(file)
    except UnsafeOfficeFile as exc:
        result.errors.append(_("The file is refused: %(reason)s.") % {"reason": exc})
        return result
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.errors.append(_("The file is not an .xlsx workbook."))
        return result
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    indicators = {i.name: i for i in Indicator.objects.active()}
    units = {u.name: u for u in Unit.objects.areas()}
    units.update({u.short_name: u for u in units.copy().values() if u.short_name})

    fixed = zip(header[:3], ("Year", "Month", "Unit"), strict=False)
    if len(header) < 4 or not all(_header_is(name, msgid) for name, msgid in fixed):
        result.errors.append(_("Row 1: the header must start with Year, Month, Unit; download the template."))
        return result
    columns: list[tuple[int, Indicator]] = []
    reason_column = None
    for index, name in enumerate(header[3:], start=3):
        if _header_is(name, "Correction reason"):
            reason_column = index
        elif name in indicators:
            columns.append((index, indicators[name]))
        elif name:
            result.errors.append(
                _("Row 1, column %(column)s: unknown indicator “%(name)s”.")
                % {"column": index + 1, "name": name}
            )

    parsed: list[tuple[int, int | None, int, int, list[Entry]]] = []
    seen: dict[tuple, int] = {}
    for row_number, row in enumerate(rows, start=2):
        if row_number > MAX_IMPORT_ROWS + 1:
            result.errors.append(_("The file has more than %(max)s rows.") % {"max": MAX_IMPORT_ROWS})
            break
        row = list(row) + [None] * (len(header) - len(row))
        if all(cell in (None, "") for cell in row):
            continue
        where = _("Row %(row)s") % {"row": row_number}
        year, month, unit_name = _int_cell(row[0]), _int_cell(row[1]), str(row[2] or "").strip()
        if year is None or not 2000 <= year <= 2100:
            result.errors.append(
                _("%(where)s: the year “%(value)s” is not a year.") % {"where": where, "value": row[0]}
            )
            continue
        if month is None or not 1 <= month <= 12:
            result.errors.append(
                _("%(where)s: the month “%(value)s” is not 1–12.") % {"where": where, "value": row[1]}
            )
            continue
        if _is_future(year, month, today):
            result.errors.append(
                _("%(where)s: %(year)s-%(month)02d is in the future.")
                % {"where": where, "year": year, "month": month}
            )
            continue
        if unit_name == DISTRICT_LABEL:
            unit = None
        elif unit_name in units:
            unit = units[unit_name]
        else:
            result.errors.append(
                _("%(where)s: unknown unit “%(name)s”.") % {"where": where, "name": unit_name}
            )
            continue
        key = (year, month, unit.pk if unit else None)
        if key in seen:
            result.errors.append(
                _("%(where)s: duplicate of row %(first)s (same unit and month).")
                % {"where": where, "first": seen[key]}
            )
            continue
        seen[key] = row_number
        reason = str(row[reason_column] or "").strip() if reason_column is not None else ""
        entries = []
        for index, indicator in columns:
            try:
                value = rules.parse_amount(row[index], indicator.measure)
            except rules.WrongUnit as exc:
                result.errors.append(
                    _("%(where)s, column “%(column)s”: %(problem)s")
                    % {"where": where, "column": indicator.name, "problem": exc}
                )
                continue
            except ValueError:
                result.errors.append(
                    _("%(where)s, column “%(column)s”: “%(value)s” is not a number.")
                    % {"where": where, "column": indicator.name, "value": row[index]}
                )
                continue
            if value is None:
                continue
            if unit is not None and not indicator.reported_by(unit):
                result.errors.append(
                    _("%(where)s: %(unit)s does not report “%(indicator)s”.")
                    % {"where": where, "unit": unit.name, "indicator": indicator.name}
                )
                continue
            entries.append(Entry(indicator, value, is_correction=bool(reason), reason=reason))
        parsed.append((row_number, unit.pk if unit else None, year, month, entries))

    # Cumulative figures may not fall, against the stored previous month or an earlier row of this file.
    in_file = {(y, m, u, e.indicator.pk): e.value for _row, u, y, m, es in parsed for e in es}
    for row_number, unit_id, year, month, entries in parsed:
        stored_previous = _previous_values(
            indicator_ids=[e.indicator.pk for e in entries], year=year, month=month, unit_ids=[unit_id]
        )
        for entry in entries:
            previous = in_file.get(
                (year, month - 1, unit_id, entry.indicator.pk),
                stored_previous.get((entry.indicator.pk, unit_id)),
            )
            if problem := _entry_problem(entry, previous):
                result.errors.append(_("Row %(row)s: %(problem)s") % {"row": row_number, "problem": problem})
    if not parsed and not result.errors:
        result.errors.append(_("The file has no rows of figures."))
    if result.errors:
        return result
    with transaction.atomic():
        for _row, unit_id, year, month, entries in parsed:
            result.stored += _store(unit_id=unit_id, year=year, month=month, entries=entries, user=user)
    return result


def _template_widths(headers: list[str]) -> list[float]:
    """Year, month, unit, one column per indicator, the correction reason (in Latin characters)."""
    return [6, 4, 24, *[14] * (len(headers) - 4), 30]


def indicator_template_xlsx(*, year: int, month: int) -> bytes:
    """The import template for a month: one row per unit and the district, one column per indicator."""
    from io import BytesIO

    from openpyxl import Workbook

    from ducha.lib.xlsx import append_header, column_width, list_validation, sheet_layout

    indicators = list(Indicator.objects.active())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}-{month:02d}"
    headers = template_headers(indicators)
    sheet_layout(
        sheet,
        [
            column_width(header, width)
            for header, width in zip(headers, _template_widths(headers), strict=True)
        ],
    )
    append_header(sheet, headers)
    units = [DISTRICT_LABEL, *Unit.objects.areas().values_list("name", flat=True)]
    for name in units:
        sheet.append([year, month, name])
    # The unit column offers the units (a hidden sheet holds the list); other names only warn (short names).
    lists = workbook.create_sheet(pgettext("sheet", "Lists"))
    lists.sheet_state = "hidden"
    list_validation(sheet, 3, units, lists=lists, rows=max(len(units) + 1, 500), strict=False)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- definitions and targets (office)


def indicator_save(*, indicator: Indicator) -> Indicator:
    """Store a new or edited indicator definition after checking it (unique code and name, known kinds)."""
    indicator.full_clean()
    indicator.save()
    return indicator


def indicator_set_active(*, indicator: Indicator, active: bool) -> Indicator:
    """Deactivate (or reactivate) an indicator: its figures stay, it is no longer reported or shown."""
    indicator.active = active
    indicator.save(update_fields=["active"])
    return indicator


def indicator_targets_save(
    *, year: int, targets: dict[tuple[int | None, int], Decimal | None], user
) -> tuple[int, int]:
    """Store the annual targets of `year` for every (unit or None = district, indicator id) given.

    None removes a target. All targets or none: a negative value, an unknown unit or indicator, or an
    indicator the unit does not report refuses the whole grid with a message naming the cell.
    Returns (stored, removed).
    """
    if not 2000 <= year <= 2100:
        raise ValidationError(_("%(year)s is not a year between 2000 and 2100.") % {"year": year})
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={i for _u, i in targets})}
    own, district = target_units(user)  # an office sets its own region's targets only
    units = {u.pk: u for u in own}
    problems: dict[str, str] = {}
    for (unit_id, indicator_id), value in targets.items():
        key = f"{unit_id or 'district'}_{indicator_id}"
        indicator = indicators.get(indicator_id)
        unit = units.get(unit_id) if unit_id else None
        if indicator is None or (unit_id and unit is None) or (unit_id is None and not district):
            problems[key] = _("Unknown unit or indicator.")
        elif value is not None and value < 0:
            problems[key] = _("%(unit)s, %(indicator)s: a target cannot be negative.") % {
                "unit": unit.name if unit else DISTRICT_LABEL,
                "indicator": indicator.name,
            }
        elif value is not None and not indicator.reported_by(unit):
            problems[key] = _("%(unit)s does not report “%(indicator)s”.") % {
                "unit": unit.name if unit else DISTRICT_LABEL,
                "indicator": indicator.name,
            }
    if problems:
        raise ValidationError(problems)
    stored = removed = 0
    with transaction.atomic():
        for (unit_id, indicator_id), value in targets.items():
            if value is None:
                removed += IndicatorTarget.objects.filter(
                    indicator_id=indicator_id, unit_id=unit_id, year=year
                ).delete()[0]
                continue
            IndicatorTarget.objects.update_or_create(
                indicator_id=indicator_id, unit_id=unit_id, year=year, defaults={"value": value}
            )
            stored += 1
    return stored, removed
