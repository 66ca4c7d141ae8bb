"""`bastion report`: text, JSON and Excel."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Tree


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def signals(tree: Tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    facts.signal(tree.liyujuwei, at(DAY, "08:00"))
    facts.signal(tree.liyujuwei, at(DAY, "09:00"))


def test_json_is_the_api_shape(tree: Tree, signals: None) -> None:
    body = json.loads(_run("--unit", tree.liyu.code, "--date", "2020-02-09", "--json"))
    assert body["own"]["values"]["signals.found"] == 3
    by_code = {c["code"]: c["values"]["signals.found"] for c in body["children"]}
    assert by_code == {tree.yuetang.code: 1, tree.liyujuwei.code: 2}


def test_xlsx_holds_the_figures(tree: Tree, signals: None, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    out = _run("--unit", tree.tianyuan.code, "--date", "2020-02-09", "--xlsx", str(path))
    assert out.strip() == f"已写入 {path}"
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("线索发现与处置").to_python()
    assert rows[2][:3] == [tree.liyu.code, "栗雨街道", 3]
    assert rows[3][:3] == [tree.tianyuan.code, "合计", 3]
    observation = book.get_sheet_by_name("医学观察").to_python()
    assert observation[3][1:4] == ["合计", 0, 0]


def test_text_table_by_default(tree: Tree, signals: None) -> None:
    out = _run("--unit", tree.liyu.code, "--date", "2020-02-09", "--to", "2020-02-10")
    assert out.splitlines()[0] == "栗雨街道 疫情防控日报 2020-02-09 — 2020-02-10"
    assert "【线索发现与处置】" in out
    lines = [line for line in out.splitlines() if line.startswith(("栗雨居委会", "合计"))]
    assert lines[0].split()[:2] == ["栗雨居委会", "2"]
    assert lines[1].split()[:2] == ["合计", "3"]


def test_bad_input_is_a_clear_error(tree: Tree) -> None:
    with pytest.raises(CommandError, match="找不到单位：430299999999"):
        _run("--unit", "430299999999", "--date", "2020-02-09")
    with pytest.raises(CommandError, match="--date 的日期格式应为 YYYY-MM-DD：2020-02-30"):
        _run("--unit", tree.liyu.code, "--date", "2020-02-30")
    with pytest.raises(CommandError, match="结束日期不能早于开始日期。"):
        _run("--unit", tree.liyu.code, "--date", "2020-02-09", "--to", "2020-02-01")
