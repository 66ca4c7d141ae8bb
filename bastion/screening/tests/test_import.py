"""The returnee list import on a messy workbook: every case of the issue, exact counts and
messages; re-import is a no-op; a corrected file updates."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from bastion.people.models import Household, Person
from bastion.screening.models import ImportJob, Sweep, TravelRecord
from bastion.screening.services.imports import returnees_import_file
from bastion.screening.tests.workbooks import workbook

PRECISION = (
    "身份证号被 Excel 存成了数字，后几位已经丢失（科学计数法只保留 15 位），"
    "请把该列设为“文本”后重新填写。"
)


def messy(zhou_transport="客车"):
    return workbook(
        {
            "一组": [
                [
                    "序号",
                    "姓名",
                    "身份证号码",
                    "联系电话",
                    "住址",
                    "从何地返回",
                    "返乡日期",
                    "交通方式",
                    "车次",
                ],
                [
                    1,
                    " 张三 ",
                    "430202199001010011",
                    "13900000001",
                    "月塘路 1 号",
                    "湖北武汉",
                    "2020-01-25",
                    "火车",
                    "G1234",
                ],
                [
                    2,
                    "李四",
                    "430281198503150023",
                    13900000002,
                    "月塘路 2 号",
                    "湖北省武汉市",
                    "2020/1/24",
                    "自驾",
                    "鄂A12345",
                ],
                [None, None, None, None, None, None, None, None, None],
                [
                    3,
                    "王五",
                    "４３０２２３１９７００７０８００３Ｘ",
                    "",
                    "月塘路 3 号",
                    "武汉",
                    "2020.1.23",
                    "高铁",
                    "G1001",
                ],
                [
                    4,
                    "赵六",
                    4.3028119850315e17,
                    "13900000006",
                    "月塘路 4 号",
                    "湖北",
                    "2020-01-22",
                    "火车",
                    "",
                ],
                [
                    5,
                    "孙七",
                    "",
                    "１３９ ００００ ０００７",
                    "月塘路 5 号",
                    "湖北黄冈",
                    "2020年1月22日",
                    "飞机",
                    "cz3456",
                ],
                [
                    6,
                    " 张三 ",
                    "430202199001010011",
                    "13900000001",
                    "月塘路 1 号",
                    "湖北武汉",
                    "2020-01-25",
                    "火车",
                    "G1234",
                ],
            ],
            "二组": [
                ["姓名", "证件号码", "手机", "现住址", "来源地", "抵株时间", "出行方式"],
                ["周八", "", "13900000008", "月塘路 6 号", "湖北孝感", "1月25日", zhou_transport],
                ["吴九", "", "13900000009", "月塘路 7 号", "湖北", 43855, "其他"],
                ["郑十", "", "13900000010", "月塘路 8 号", "湖北", date(2020, 1, 21), "自驾"],
                ["钱一", "", "", "月塘路 9 号", "湖北", "2020-01-20", "火车"],
                ["李四", "430281198503150023", "", "", "湖北武汉", "2020-01-24", "火车"],
                ["陈三", "", "13900000013", "", "", "2020-01-20", ""],
                ["冯二", "", "13900000012", "", "湖北", "2020-13-01", ""],
            ],
            "三组": [
                ["姓名", "公民身份号码", "电话", "住址", "来自", "到达时间"],
                ["褚四", "", "13900000014", "月塘路 10 号", "湖南长沙", "2020-1-19"],
            ],
        },
        titles={"一组": "月塘社区返乡人员登记表"},
    )


@pytest.fixture
def sweep_2020(tree):
    return Sweep.objects.create(
        unit=tree.liyu,
        unit_code=tree.liyu.code,
        scope_prefix=tree.liyu.scope_prefix,
        name="2020 年春节排查",
        starts_on=date(2020, 1, 20),
        ends_on=date(2020, 2, 20),
    )


def run(tree, data, dry_run=False):
    return returnees_import_file(
        actor=None, unit=tree.yuetang, source=io.BytesIO(data), dry_run=dry_run
    )


def test_a_messy_workbook_imports_with_exact_counts_and_reasons(tree, sweep_2020):
    # when
    result = run(tree, messy())
    # then
    assert (result.created, result.updated, result.unchanged, result.rejected) == (8, 0, 1, 5)
    assert result.as_json()["errors"] == [
        {"sheet": "一组", "row": 8, "column": "身份证号码", "message": PRECISION},
        {
            "sheet": "二组",
            "row": 5,
            "column": "证件号码",
            "message": "身份证号和手机号至少填写一项。",
        },
        {
            "sheet": "二组",
            "row": 6,
            "column": "姓名",
            "message": "与一组第 5 行是同一人、同一返乡日期，但内容不同，请合并后再导入。",
        },
        {"sheet": "二组", "row": 7, "column": "来源地", "message": "请填写从何地返回。"},
        {"sheet": "二组", "row": 8, "column": "抵株时间", "message": "日期不存在：2020-13-01。"},
    ]
    arrivals = dict(TravelRecord.objects.values_list("person__name", "arrived_on"))
    assert arrivals == {
        "张三": date(2020, 1, 25),
        "李四": date(2020, 1, 24),
        "王五": date(2020, 1, 23),
        "孙七": date(2020, 1, 22),
        "周八": date(2020, 1, 25),  # 1月25日 takes the sweep's year
        "吴九": date(2020, 1, 25),  # an Excel serial number
        "郑十": date(2020, 1, 21),  # a real date cell
        "褚四": date(2020, 1, 19),
    }
    wang = Person.objects.get(name="王五")
    assert wang.id_number == "43022319700708003X" and wang.sex == "M"
    assert Person.objects.get(name="孙七").mobile == "13900000007"
    li = TravelRecord.objects.get(person__name="李四")
    assert (li.transport, li.transport_no, li.origin_city) == ("self_drive", "鄂A12345", "武汉市")
    assert TravelRecord.objects.get(person__name="王五").origin_province == "湖北"
    assert Household.objects.filter(unit=tree.yuetang).count() == 8


def test_a_dry_run_writes_nothing(tree, sweep_2020):
    result = run(tree, messy(), dry_run=True)
    assert (result.created, result.rejected) == (8, 5)
    assert not Person.objects.exists() and not TravelRecord.objects.exists()


def test_reimporting_the_same_file_changes_nothing(tree, sweep_2020):
    run(tree, messy())
    again = run(tree, messy())
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 9, 5)
    assert TravelRecord.objects.count() == 8 and Person.objects.count() == 8


def test_a_corrected_file_updates_and_never_duplicates(tree, sweep_2020):
    run(tree, messy())
    corrected = run(tree, messy(zhou_transport="火车"))
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 8)
    assert TravelRecord.objects.get(person__name="周八").transport == "train"
    assert TravelRecord.objects.count() == 8


def test_the_command_prints_the_contract_json(tree, sweep_2020, tmp_path, capsys):
    # given
    path = tmp_path / "list.xlsx"
    path.write_bytes(messy())
    # when
    call_command("import_screening", str(path), "--unit", tree.yuetang.code, "--json")
    # then
    body = json.loads(capsys.readouterr().out)
    assert {k: body[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 8,
        "updated": 0,
        "unchanged": 1,
        "rejected": 5,
    }
    assert body["errors"][0] == {
        "sheet": "一组",
        "row": 8,
        "column": "身份证号码",
        "message": PRECISION,
    }
    job = ImportJob.objects.get()
    assert job.status == "applied" and job.file_name == "list.xlsx"


def test_the_command_dry_run_writes_nothing(tree, sweep_2020, tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(messy())
    call_command("import_screening", str(path), "--unit", tree.yuetang.code, "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("将新增 8 条，将更新 0 条，无变化 1 条（其中重复 1 条），拒绝 5 条。")
    assert not TravelRecord.objects.exists() and not ImportJob.objects.exists()


def test_the_command_fails_on_a_file_it_cannot_read(tree, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(CommandError, match="无法读取文件：不是有效的 Excel 文件"):
        call_command("import_screening", str(path), "--unit", tree.yuetang.code)


def test_the_command_fails_without_a_header(tree, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook({"Sheet1": [["a", "b"], [1, 2]]}))
    with pytest.raises(CommandError, match="没有找到表头"):
        call_command("import_screening", str(path), "--unit", tree.yuetang.code)


def test_the_command_refuses_a_city(tree, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(messy())
    with pytest.raises(CommandError, match="导入单元必须是区县、乡镇（街道）、村（社区）或网格。"):
        call_command("import_screening", str(path), "--unit", tree.city.code)


def test_recent_arrivals_imported_become_signals(tree):
    # given a list with one arrival two days ago and one last year
    from datetime import timedelta

    from django.utils import timezone

    from bastion.screening.models import Signal

    recent = timezone.localdate() - timedelta(days=2)
    data = workbook(
        {
            "名单": [
                ["姓名", "手机号", "住址", "从何地返回", "返乡日期"],
                ["刘七", "13900000021", "月塘路 1 号", "湖北武汉", recent.isoformat()],
                ["刘八", "13900000022", "月塘路 2 号", "湖北武汉", "2020-01-20"],
            ]
        }
    )
    # when
    run(tree, data)
    # then
    signal = Signal.objects.get()
    assert signal.subject_name == "刘七" and signal.source == "import"
    assert signal.reason.startswith("Excel 导入返乡人员：自湖北武汉")
    assert signal.events.get().status == "new"
