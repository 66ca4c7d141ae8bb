"""A large file is read, checked and written a chunk of rows at a time: tiny chunks give
exactly what one chunk gives (counts, errors, rows written, signals), a duplicate is found
across chunks, and an import that fails in a later chunk leaves nothing written."""

import io
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from bastion.people.models import Household, Person
from bastion.screening.models import Signal, SignalEvent, TravelRecord
from bastion.screening.services.imports import returnees_import_file, write
from bastion.screening.spreadsheets import returnees
from bastion.screening.tests.test_import import messy, sweep_2020  # noqa: F401 - a fixture
from bastion.screening.tests.workbooks import workbook

pytestmark = pytest.mark.usefixtures("sweep_2020")
NOW = datetime(2020, 1, 28, 4, tzinfo=UTC)  # the messy workbook's arrivals are recent


def run(tree, data, **kwargs):
    return returnees_import_file(
        actor=None, unit=tree.yuetang, source=io.BytesIO(data), dry_run=False, now=NOW, **kwargs
    )


def written():
    """What an import left in the database, without ids (ids differ from run to run)."""
    return {
        "households": sorted(Household.objects.values_list("address", flat=True)),
        "persons": sorted(
            Person.objects.values_list(
                "name", "id_number", "mobile", "name_pinyin", "sex", "household__address"
            ),
            key=repr,
        ),
        "travel": sorted(
            TravelRecord.objects.values_list(
                "person__name", "arrived_on", "origin_city", "transport", "household__address"
            ),
            key=repr,
        ),
        "signals": sorted(
            Signal.objects.values_list("person__name", "subject_mobile", "reason"), key=repr
        ),
        "events": SignalEvent.objects.count(),
    }


@pytest.fixture
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(returnees, "READ_CHUNK", 2)
    monkeypatch.setattr(write, "WRITE_CHUNK", 2)


def test_tiny_chunks_give_what_one_chunk_gives(tree, monkeypatch):
    # given the import with chunks larger than the file, rolled back
    with transaction.atomic():
        whole = run(tree, messy()).as_job()
        expected = written()
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    assert expected["signals"] and expected["events"] == len(expected["signals"])
    # when the same file goes two rows at a time
    monkeypatch.setattr(returnees, "READ_CHUNK", 2)
    monkeypatch.setattr(write, "WRITE_CHUNK", 2)
    chunked = run(tree, messy()).as_job()
    # then
    assert chunked == whole
    assert written() == expected


def test_a_duplicate_and_a_conflict_are_found_across_chunks(tree, tiny_chunks):
    header = ["姓名", "身份证号", "手机号", "住址", "从何地返回", "返乡日期", "交通方式"]
    zhang = ["张三", "430202199001010011", "13900000001", "月塘路 1 号", "湖北武汉", "2020-01-25"]
    sheet = [
        header,
        [*zhang, "火车"],  # row 2, chunk 1
        ["李四", "430281198503150023", "13900000002", "月塘路 2 号", "湖北", "2020-01-24", "自驾"],
        ["孙七", "", "13900000007", "月塘路 5 号", "湖北黄冈", "2020-01-22", "飞机"],  # chunk 2
        [*zhang, "火车"],  # row 5: the same as row 2, skipped
        [*zhang, "自驾"],  # row 6, chunk 3: the same person and day, different content
        # row 7: the person of row 2 on another day, in a later chunk: one person, two journeys
        ["张三", "430202199001010011", "13900000001", "月塘路 1 号", "湖北", "2020-01-26", ""],
    ]
    # when
    result = run(tree, workbook({"一组": sheet}))
    # then
    assert (result.created, result.unchanged, result.duplicates, result.rejected) == (4, 1, 1, 1)
    assert [(e.row, e.message) for e in result.errors] == [
        (6, "与一组第 2 行是同一人、同一返乡日期，但内容不同，请合并后再导入。")
    ]
    assert Person.objects.count() == 3
    zhang_journeys = TravelRecord.objects.filter(person__id_number="430202199001010011")
    assert sorted(zhang_journeys.values_list("arrived_on", flat=True)) == [
        date(2020, 1, 25),
        date(2020, 1, 26),
    ]
    assert Household.objects.count() == 3


def test_an_import_failing_in_a_later_chunk_leaves_nothing(tree, tiny_chunks, monkeypatch):
    # given a write that fails at the third chunk of journeys
    calls = []
    insert_rows = write.insert_rows

    def failing(model, rows, **kwargs):
        if model is TravelRecord:
            calls.append(len(rows))
            if len(calls) == 3:
                raise RuntimeError("the disk is full")
        return insert_rows(model, rows, **kwargs)

    monkeypatch.setattr(write, "insert_rows", failing)
    # when
    with pytest.raises(RuntimeError):
        run(tree, messy())
    # then: the first chunks were written, and rolled back with the rest
    assert calls == [2, 2, 2]
    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not TravelRecord.objects.exists()
    assert not Signal.objects.exists() and not SignalEvent.objects.exists()


def test_progress_ends_at_the_rows_read(tree, tiny_chunks):
    seen = []
    read = returnees.returnee_rows_read(
        io.BytesIO(messy()),
        year=2020,
        today=date(2020, 1, 28),
        areas=[],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert read.total == 14
    assert seen[0][0] == 0 and seen[-1] == (14, 14)
    assert all(done <= total for done, total in seen)


def test_a_village_import_keeps_no_cells_of_accepted_rows(tree, monkeypatch):
    kept = []
    read_rows = returnees.returnee_rows_read

    def spy(*args, **kwargs):
        read = read_rows(*args, **kwargs)
        kept.extend(r.origin for r in read.rows)
        return read

    monkeypatch.setattr("bastion.screening.services.imports.flow.returnee_rows_read", spy)
    run(tree, messy())
    assert kept and all(origin is None for origin in kept)
