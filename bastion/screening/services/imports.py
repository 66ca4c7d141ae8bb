"""Writes for the returnee list import (导入): plan a file against the registry, apply it in
one transaction, and the import jobs that run both in the background with progress.

Re-importing the same file changes nothing; a corrected file updates, never duplicates: a
person is found by ID number (anywhere) or by name and phone (in the unit), a household by
its address in the unit, a travel record by person and arrival day.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import ValidationError
from bastion.observation.selectors import policy_for
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.people.models import Household, Person
from bastion.people.services import name_romanised
from bastion.screening.models import (
    HighRiskArea,
    ImportJob,
    ImportStatus,
    Signal,
    SignalEvent,
    SignalSource,
    SignalStatus,
    Sweep,
    TravelRecord,
    TravelSource,
)
from bastion.screening.services.bulk import bulk_insert
from bastion.screening.services.travel import journey_summary
from bastion.screening.spreadsheets.reading import CellError, UnreadableFile
from bastion.screening.spreadsheets.returnees import ImportRow, ReadResult, returnee_rows_read

BATCH = 2000
IMPORT_LEVELS = (Level.VILLAGE, Level.GRID)
_TRAVEL_FIELDS = (
    "origin_province",
    "origin_city",
    "origin_county",
    "origin_code",
    "departed_on",
    "transport",
    "transport_no",
    "companions_note",
)


@dataclass
class ImportResult:
    """What an import did (or, dry, would do): the contract's counts and errors."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    errors: list[CellError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The contract of `bastion import-screening --json`."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
        }


def import_unit_check(actor: Any, unit: OrgUnit | None) -> OrgUnit:
    """The unit rows are imported into: a village or grid (of the actor's jurisdiction; the
    command line, without an actor, may import anywhere)."""
    if unit is None or (
        actor is not None and not code_in_scope(actor, unit.code, Capability.RECORD_SCREENING)
    ):
        raise ValidationError({"unit": "请选择您辖区内的村（社区）或网格。"})
    if unit.kind != Kind.TERRITORIAL or unit.level not in IMPORT_LEVELS:
        raise ValidationError({"unit": "导入单元必须是村（社区）或网格。"})
    return unit


def import_year(unit: OrgUnit, today: date) -> int:
    """The year for dates written without one (1月25日): the latest sweep over the unit's."""
    prefixes = [unit.code[:i] for i in range(2, len(unit.code) + 1)]
    sweep = Sweep.objects.filter(scope_prefix__in=prefixes, starts_on__lte=today).first()
    return sweep.starts_on.year if sweep else today.year


@dataclass
class _Plan:
    households: dict[str, Household]
    new_households: list[Household]
    persons: dict[int, Person]  # row index -> person (new ones unsaved)
    changed_persons: list[Person]
    new_travel: list[TravelRecord]
    changed_travel: list[TravelRecord]


def _find_persons(unit: OrgUnit, rows: list[ImportRow]) -> dict[int, Person]:
    ids = {r.id_number for r in rows if r.id_number}
    by_id: dict[str, Person] = {}
    for i in range(0, len(ids), BATCH):
        chunk = list(ids)[i : i + BATCH]
        for p in Person.objects.filter(id_number__in=chunk, merged_into__isnull=True):
            by_id[p.id_number or ""] = p
    names = {r.name for r in rows if not r.id_number}
    by_name: dict[tuple[str, str], Person] = {}
    if names:
        for p in Person.objects.filter(
            unit_code__startswith=unit.scope_prefix, name__in=names, merged_into__isnull=True
        ).exclude(mobile=""):
            by_name.setdefault((p.name, p.mobile), p)
    found: dict[int, Person] = {}
    for i, r in enumerate(rows):
        person = by_id.get(r.id_number) if r.id_number else by_name.get((r.name, r.mobile))
        if person is not None:
            found[i] = person
    return found


def _plan(actor: Any, unit: OrgUnit, rows: list[ImportRow], result: ImportResult) -> _Plan:
    addresses = {r.address for r in rows if r.address}
    households = {h.address: h for h in Household.objects.filter(unit=unit, address__in=addresses)}
    new_households = [
        Household(unit=unit, unit_code=unit.code, address=a)
        for a in sorted(addresses - households.keys())
    ]
    households.update({h.address: h for h in new_households})
    existing = _find_persons(unit, rows)
    persons: dict[int, Person] = {}
    changed_persons: dict[int, Person] = {}
    new_by_key: dict[tuple[Any, ...], Person] = {}
    for i, r in enumerate(rows):
        person = existing.get(i)
        if person is None:
            who = (r.id_number,) if r.id_number else (r.name, r.mobile)
            person = new_by_key.get(who)
            if person is None:
                person = _new_person(actor, unit, r, households.get(r.address))
                new_by_key[who] = person
        elif (
            person.unit_code.startswith(unit.scope_prefix)
            and r.mobile
            and person.mobile != r.mobile
        ):
            person.mobile = r.mobile
            changed_persons[id(person)] = person
        persons[i] = person
    known_ids = [p.pk for p in persons.values() if p.pk]
    travel: dict[tuple[int, date], TravelRecord] = {}
    for i in range(0, len(known_ids), BATCH):
        for t in TravelRecord.objects.filter(person_id__in=known_ids[i : i + BATCH]):
            travel[(t.person_id, t.arrived_on)] = t
    new_travel: list[TravelRecord] = []
    changed_travel: list[TravelRecord] = []
    for i, r in enumerate(rows):
        person = persons[i]
        home = households.get(r.address)
        record = travel.get((person.pk, r.journey.arrived_on)) if person.pk else None
        person_changed = id(person) in changed_persons
        if record is None:
            new_travel.append(_new_travel(actor, unit, person, home, r))
            result.created += 1
            continue
        changed = _travel_changes(record, r, home)
        if changed:
            changed_travel.append(record)
        if changed or person_changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return _Plan(
        households,
        new_households,
        persons,
        list(changed_persons.values()),
        new_travel,
        changed_travel,
    )


def _new_person(actor: Any, unit: OrgUnit, r: ImportRow, home: Household | None) -> Person:
    pinyin, initials = name_romanised(r.name)
    return Person(
        id_number=r.id_number,
        name=r.name,
        name_pinyin=pinyin,
        name_initials=initials,
        sex=r.sex,
        birth_date=r.birth_date,
        mobile=r.mobile,
        household=home,
        unit=unit,
        unit_code=unit.code,
        created_by=actor,
    )


def _new_travel(
    actor: Any, unit: OrgUnit, person: Person, home: Household | None, r: ImportRow
) -> TravelRecord:
    j = r.journey
    return TravelRecord(
        person=person,
        unit=unit,
        unit_code=unit.code,
        household=home,
        origin_province=j.origin_province,
        origin_city=j.origin_city,
        origin_county=j.origin_county,
        origin_code=j.origin_code,
        risk_area=j.risk_area,
        is_high_risk=j.risk_area is not None,
        departed_on=j.departed_on,
        arrived_on=j.arrived_on,
        transport=j.transport,
        transport_no=j.transport_no,
        companions_note=j.companions_note,
        source=TravelSource.IMPORT,
        created_by=actor,
    )


def _travel_changes(record: TravelRecord, r: ImportRow, home: Household | None) -> bool:
    """Copy the row's journey onto `record`; True if anything differed."""
    changed = False
    for name in _TRAVEL_FIELDS:
        value = getattr(r.journey, name)
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    risk = r.journey.risk_area
    if record.risk_area_id != (risk.pk if risk else None):
        record.risk_area = risk
        record.is_high_risk = risk is not None
        changed = True
    if home is not None and record.household_id != home.pk:
        record.household = home
        changed = True
    if changed:
        record.version += 1
    return changed


def _apply(actor: Any, unit: OrgUnit, plan: _Plan, now: datetime) -> None:
    """The bulk path (COPY / executemany), inside the caller's transaction; the few updates
    go through the ORM."""
    bulk_insert(Household, plan.new_households)
    new_persons: list[Person] = []
    for person in {id(p): p for p in plan.persons.values()}.values():
        if person.pk is None:
            if person.household is not None:
                person.household_id = person.household.pk
            new_persons.append(person)
    bulk_insert(Person, new_persons)
    Person.objects.bulk_update(plan.changed_persons, ["mobile"], batch_size=BATCH)
    for record in plan.new_travel:
        record.person_id = record.person.pk
        record.household_id = record.household.pk if record.household else None
    bulk_insert(TravelRecord, plan.new_travel)
    TravelRecord.objects.bulk_update(
        plan.changed_travel,
        [*_TRAVEL_FIELDS, "risk_area", "is_high_risk", "household", "version", "updated_at"],
        batch_size=BATCH,
    )
    _signals_for(actor, unit, plan.new_travel, now)


def _signals_for(actor: Any, unit: OrgUnit, records: list[TravelRecord], now: datetime) -> None:
    """Recent arrivals that the village did not know become signals, like any returnee."""
    window = policy_for(unit_code=unit.code, on=timezone.localdate(now)).arrival_window_days
    earliest = timezone.localdate(now) - timedelta(days=window)
    signals = [
        Signal(
            unit=unit,
            unit_code=unit.code,
            person=r.person,
            subject_name=r.person.name,
            subject_id_number=r.person.id_number or "",
            subject_mobile=r.person.mobile,
            subject_address=r.household.address if r.household else "",
            source=SignalSource.OTHER,
            reason=("Excel 导入返乡人员：" + _summary(r))[:300],
            found_at=now,
            created_by=actor,
            details={"travel_record": r.pk},
        )
        for r in records
        if r.arrived_on >= earliest
    ]
    Signal.objects.bulk_create(signals, batch_size=BATCH)
    SignalEvent.objects.bulk_create(
        [
            SignalEvent(signal=s, status=SignalStatus.NEW, actor=actor, at=now, note=s.reason)
            for s in signals
        ],
        batch_size=BATCH,
    )


def _summary(record: TravelRecord) -> str:
    from bastion.screening.services.travel import CleanJourney

    return journey_summary(
        CleanJourney(
            origin_province=record.origin_province,
            origin_city=record.origin_city,
            origin_county=record.origin_county,
            origin_code=record.origin_code,
            departed_on=record.departed_on,
            arrived_on=record.arrived_on,
            transport=record.transport,
            transport_no=record.transport_no,
            companions_note=record.companions_note,
            risk_area=record.risk_area,
        )
    )


def returnees_import(
    *,
    actor: Any,
    unit: OrgUnit,
    read: ReadResult,
    dry_run: bool,
    now: datetime | None = None,
) -> ImportResult:
    """Plan the checked rows against the registry and, unless `dry_run`, apply them: all
    accepted rows or none (one transaction)."""
    now = now or timezone.now()
    result = ImportResult(
        rejected=len(read.rejected),
        duplicates=read.duplicates,
        unchanged=read.duplicates,
        errors=list(read.errors),
    )
    if dry_run:
        _plan(actor, unit, read.rows, result)
        return result
    with transaction.atomic():
        plan = _plan(actor, unit, read.rows, result)
        _apply(actor, unit, plan, now)
    return result


def returnees_import_file(
    *,
    actor: Any,
    unit: OrgUnit,
    source: str | IO[bytes],
    dry_run: bool,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, check and import a file in one call (the command line). Raises UnreadableFile."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    read = returnee_rows_read(
        source,
        year=import_year(unit, today),
        today=today,
        areas=list(HighRiskArea.objects.all()),
        progress=progress,
    )
    return returnees_import(actor=actor, unit=unit, read=read, dry_run=dry_run, now=now)


# Jobs ------------------------------------------------------------------------------------


def import_job_create(
    *, actor: Any, unit: OrgUnit | None, content: bytes, file_name: str
) -> ImportJob:
    """Keep an uploaded file as an import job (导入任务), to be previewed in the background."""
    unit = import_unit_check(actor, unit)
    if not content:
        raise ValidationError({"file": "文件是空的。"})
    today = timezone.localdate()
    job = ImportJob(
        unit=unit,
        unit_code=unit.code,
        file_name=file_name[:200] or "import.xlsx",
        sha256=hashlib.sha256(content).hexdigest(),
        year=import_year(unit, today),
        created_by=actor,
    )
    job.file.save(f"{job.sha256[:16]}.xlsx", ContentFile(content), save=False)
    job.save()
    return job


def _progress_of(job: ImportJob) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    return report


def _read_job(job: ImportJob) -> ReadResult:
    today = timezone.localdate()
    with job.file.open("rb") as f:
        return returnee_rows_read(
            f,
            year=job.year,
            today=today,
            areas=list(HighRiskArea.objects.all()),
            progress=_progress_of(job),
        )


def import_job_preview(*, job: ImportJob) -> ImportJob:
    """Check the file and plan it without writing (预览): counts and each rejected row."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PREVIEWING)
    try:
        read = _read_job(job)
    except UnreadableFile as e:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(e)[:300])
        job.refresh_from_db()
        return job
    result = returnees_import(actor=job.created_by, unit=job.unit, read=read, dry_run=True)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.PREVIEWED,
        result=result.as_json() | {"duplicates": result.duplicates},
        rows_done=read.total,
        rows_total=read.total,
    )
    job.refresh_from_db()
    return job


def import_job_apply(*, job: ImportJob, actor: Any) -> ImportJob:
    """Apply a previewed file (确认导入): all accepted rows in one transaction, logged."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.APPLYING
    )
    if not claimed:
        raise ValidationError({"__all__": "该导入已确认过，或还未完成检查。"})
    try:
        read = _read_job(job)
    except UnreadableFile as e:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(e)[:300])
        job.refresh_from_db()
        return job
    result = returnees_import(actor=actor, unit=job.unit, read=read, dry_run=False)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.APPLIED,
        result=result.as_json() | {"duplicates": result.duplicates},
        applied_at=timezone.now(),
    )
    if getattr(actor, "pk", None) is not None:
        access_log_write(
            user=actor,
            action=Action.CREATE,
            object_type="import_job",
            object_id=job.pk,
            unit_code=job.unit_code,
            detail={k: v for k, v in result.as_json().items() if k != "errors"},
        )
    job.refresh_from_db()
    return job


def import_rejected_rows(*, job: ImportJob) -> ReadResult:
    """The file's check again, for the download of its rejected rows."""
    return _read_job(job)
