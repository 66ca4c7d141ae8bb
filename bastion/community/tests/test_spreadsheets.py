import io

from python_calamine import CalamineWorkbook

from bastion.community.spreadsheets import checklist_text, gatherings_workbook, runs_workbook
from bastion.community.tests.conftest import at


def rows_of(content):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_checklist_text_follows_the_kinds_order(personas, toilet, run_at):
    run = run_at(
        toilet,
        at(7),
        checklist={
            "taps": True,
            "floor": True,
            "squat_pans": True,
            "door_handles": False,
            "surroundings": True,
        },
    )
    assert checklist_text(run) == "地面✓ 蹲位✓ 门把手✗ 水阀✓ 周边环境✓"


def test_runs_workbook_writes_local_times(personas, toilet, run_at):
    run_at(toilet, at(7, 30))
    content, count = runs_workbook(iter([toilet.runs.get()]))
    rows = rows_of(content)
    assert count == 1
    assert str(rows[1][0]).startswith("2020-01-30 07:30")
    assert rows[1][6:8] == [1000.0, "mg/L"]


def test_gatherings_workbook_masks_the_host(record_gathering):
    gathering = record_gathering(host_name="欧阳建国", outcome="cancelled")
    content, count = gatherings_workbook(iter([gathering]))
    rows = rows_of(content)
    assert count == 1
    assert rows[1][2] == "欧***"
    assert rows[1][11] == "取消" and rows[1][14] == "是"


def test_an_empty_export_has_its_headers(db):
    content, count = gatherings_workbook(iter([]))
    assert count == 0
    assert len(rows_of(content)) == 1
