"""Importing participants from a spreadsheet: plan what each line would do, then do it.

The command line (`kiosk participant import`) and the import page share these two steps: the page
shows the plan for the coordinator to confirm; --dry-run prints it. A line is created, skipped (the
same first name, last name and referrer are already recorded, or earlier in the file), refused (no
first or last name, an impossible date, a bad household size), or ignored when blank.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.cards.services import new_card
from kiosk.epicerie.access import AccessError, check_period
from kiosk.imports.spreadsheets import Table, read_table
from kiosk.people import services
from kiosk.models import Participant
from kiosk.people.namesakes import Namesake, namesakes_of
from kiosk.people.queries import known_person_keys, person_key
from kiosk.people.referrers import ReferrerError, clean_referrer_name, clean_structure
from kiosk.people.services import ParticipantError
from kiosk.platform.extensions import db
from kiosk.platform.spreadsheets import FORMULA_STARTS
from kiosk.platform.text import search_key
from kiosk.platform.timezone import local_day
from kiosk.platform.numbers import ascii_int

DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", re.ASCII)
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", re.ASCII)


@dataclass
class PlannedRow:
    """One line of the file that will become a participant (or was skipped as already there)."""

    line: int
    first_name: str
    last_name: str
    referrer_name: str | None = None
    structure: str | None = None
    phone: str | None = None
    household_size: int = 1
    entered_on: date | None = None
    epicerie_until: date | None = None
    # People already recorded under the same name (another referrer, or who left): maybe the same.
    namesakes: list[Namesake] = field(default_factory=list)


@dataclass
class ImportPlan:
    to_create: list[PlannedRow] = field(default_factory=list)
    skipped: list[PlannedRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"line": int, "message": str}

    @property
    def to_check(self) -> list[PlannedRow]:
        """The rows to create whose name is already known: the coordinator says whether it is a return."""
        return [row for row in self.to_create if row.namesakes]

    def summary(self) -> dict:
        """The JSON CONTRACT.md promises: created, skipped, errors."""
        return {"created": len(self.to_create), "skipped": len(self.skipped), "errors": self.errors}


def plan_import(data: "bytes | Table") -> ImportPlan:
    """What importing this file (or its table, read already) would do, line by line; stores nothing."""
    table = data if isinstance(data, Table) else read_table(data)
    known = known_person_keys()
    plan = ImportPlan()
    for line, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: _cell(cells, index) for name, index in table.columns.items()}
        row, problems = _parse_row(line, values)
        if problems:
            plan.errors.append({"line": line, "message": " ; ".join(problems)})
            continue
        key = person_key(row.first_name, row.last_name, row.referrer_name)
        if key in known:
            plan.skipped.append(row)
        else:
            known.add(key)
            plan.to_create.append(row)
    found = namesakes_of([(row.first_name, row.last_name) for row in plan.to_create])
    for row in plan.to_create:
        row.namesakes = found.get(search_key(f"{row.last_name} {row.first_name}"), [])
    return plan


def apply_import(plan: ImportPlan, same_as: dict[int, int] | None = None) -> tuple[list, list]:
    """Create the planned participants, each with a card (and épicerie access when given); a row the
    coordinator said is a person already recorded (`same_as`: line -> participant id, one of the
    row's namesakes) is that person's return instead. Returns (created, returned).

    Built with the same checks as one by one, but flushed once at the end: a few thousand rows
    take seconds, not minutes, on a small box.
    """
    referrers = {}
    created, returned = [], []
    for row in plan.to_create:
        same = (same_as or {}).get(row.line)
        if same in {n.participant_id for n in row.namesakes}:
            returned.append(_return_of(db.session.get(Participant, same), row))
            continue
        if row.referrer_name and row.referrer_name not in referrers:
            referrers[row.referrer_name] = services.referrer_named(row.referrer_name, row.structure)
        participant = services.new_participant(
            row.first_name, row.last_name, referrers.get(row.referrer_name), row.phone, row.household_size,
            row.entered_on,
        )
        if row.epicerie_until:
            services.open_epicerie_access(participant, row.epicerie_until, starts_on=row.entered_on)
        new_card(participant)
        created.append(participant)
    db.session.flush()
    record_audit(AuditAction.IMPORT, "participant", None, {"created": len(created), "skipped": len(plan.skipped),
                                                           "returned": len(returned)})
    return created, returned


def _return_of(person: Participant, row: PlannedRow) -> Participant:
    """A line that is someone already recorded: back in the programme from today if they had left,
    with their épicerie access reopened when the line gives one still to come."""
    today = local_day()
    until = row.epicerie_until if row.epicerie_until and row.epicerie_until >= today else None
    if not person.is_active:
        services.record_return(person, today, epicerie_until=until)
    elif until is not None:
        services.open_epicerie_access(person, until)
    return person


def _cell(cells: list[str], index: int) -> str:
    """A cell's text; the ' our exports put before =, +, - or @ (against formulas) is taken off."""
    value = cells[index].strip() if index < len(cells) else ""
    return value[1:] if value[:1] == "'" and value[1:].startswith(FORMULA_STARTS) else value


def _parse_row(line: int, values: dict) -> tuple[PlannedRow | None, list[str]]:
    problems = []

    def check(cleaner, raw):
        try:
            return cleaner(raw)
        except (ParticipantError, ReferrerError) as exc:
            problems.append(str(exc))
            return None

    first = check(services.clean_first_name, values.get("first_name"))
    last = check(services.clean_last_name, values.get("last_name"))
    phone = check(services.clean_phone, _excel_phone(values.get("phone", "")))
    referrer = check(clean_referrer_name, values.get("referrer_name"))
    household = check(_household_size, values.get("household_size", ""))
    entered_on = check(lambda raw: _entry_day(parse_day(raw, _("Date d'entrée"))), values.get("entered_on", ""))
    until = check(lambda raw: parse_day(raw, _("Épicerie jusqu'au")), values.get("epicerie_until", ""))
    if until and not problems:
        starts = entered_on or local_day()
        if until < starts:
            problems.append(_("« Épicerie jusqu'au » (%(until)s) est avant l'entrée (%(start)s).",
                              until=until.strftime("%d/%m/%Y"), start=starts.strftime("%d/%m/%Y")))
        else:
            try:
                check_period(starts, until)
            except AccessError as exc:
                problems.append(_("« Épicerie jusqu'au » : %(problem)s", problem=str(exc)))
    if problems:
        return None, problems
    structure = clean_structure(values.get("structure"))
    return PlannedRow(line, first, last, referrer, structure, phone, household, entered_on, until), []


def _entry_day(day: date | None) -> date | None:
    """The entry date of a line, held to the same bounds as one typed on the screen."""
    try:
        return services.check_entry_day(day) if day is not None else None
    except ParticipantError as exc:
        raise ParticipantError(_("Date d'entrée : %(problem)s", problem=str(exc))) from None


def parse_day(raw: str, label: str) -> date | None:
    """A day written DD/MM/YYYY (or DD-MM-YY, DD.MM.YYYY, YYYY-MM-DD); None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    match = DATE.fullmatch(raw)
    if match:
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if len(match.group(3)) == 2 else 0
    elif ISO_DATE.fullmatch(raw):
        year, month, day = (int(part) for part in ISO_DATE.fullmatch(raw).groups())
    else:
        message = _("%(label)s illisible : « %(value)s » (attendu JJ/MM/AAAA)", label=label, value=raw[:30])
        raise ParticipantError(message)
    try:
        if not 1900 <= year <= 2200:
            raise ValueError(year)
        return date(year, month, day)
    except ValueError:
        message = _("%(label)s impossible : « %(value)s » n'existe pas.", label=label, value=raw[:30])
        raise ParticipantError(message) from None


def _household_size(raw: str) -> int:
    raw = (raw or "").strip()
    if not raw:
        return 1
    size = ascii_int(raw, max_digits=3)
    if size is None:
        raise ParticipantError(_("Personnes au foyer : un nombre entre 1 et 30, pas « %(value)s ».", value=raw[:30]))
    return services.check_household_size(size)


def _excel_phone(raw: str) -> str:
    """Excel drops the leading 0 of a French number typed without spaces: 612345678 -> 0612345678."""
    raw = (raw or "").strip()
    return "0" + raw if re.fullmatch(r"[1-9]\d{8}", raw, re.ASCII) else raw
