import uuid
from datetime import date
from decimal import Decimal

import pytest

from bastion.community.models import DisinfectionRun, Site, SiteKind
from bastion.community.services import run_record, site_create, site_update, spread_times
from bastion.community.tests.conftest import NOW, TOILET_ALL, TOILET_DONE, at
from bastion.core.errors import ValidationError
from bastion.orgs.services import unit_create


def errors_of(excinfo):
    return excinfo.value.message_dict


# schedules


@pytest.mark.parametrize(
    ("runs", "times"),
    [
        (1, ["22:00"]),
        (2, ["14:00", "22:00"]),
        (3, ["11:20", "16:40", "22:00"]),
        (4, ["10:00", "14:00", "18:00", "22:00"]),
    ],
)
def test_spreads_n_runs_over_the_working_day(runs, times):
    assert spread_times(runs) == times


def test_creates_a_site_with_n_runs_a_day(tree, personas, neighbour_bins):
    assert neighbour_bins.times == ["14:00", "22:00"]
    assert neighbour_bins.runs_per_day == 2
    assert neighbour_bins.active_from == date(2020, 1, 29)


def test_specific_times_are_normalised_and_sorted(tree, personas):
    site = site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘市场",
        kind=SiteKind.MARKET,
        times=["14：30", "8:00"],
        now=NOW,
    )
    assert (site.times, site.runs_per_day) == (["08:00", "14:30"], 2)


def test_rejects_bad_sites(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        site_create(
            actor=personas.village_worker, unit=tree.liyujuwei, name="", kind="pool", now=NOW
        )
    assert errors_of(excinfo) == {
        "unit": ["所属单元不存在或不在您的辖区内。"],
        "name": ["请填写点位名称。"],
        "kind": ["请选择点位类别。"],
        "runs_per_day": ["请填写每天消杀次数（1–24）或指定完成时限。"],
    }


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (["25:00"], "时间应为 24 小时制，如 08:00、14:30。"),
        (["8点"], "时间应为 24 小时制，如 08:00、14:30。"),
        (["08:00", "8:00"], "同一时间不能重复。"),
    ],
)
def test_rejects_bad_times(tree, personas, times, message):
    with pytest.raises(ValidationError) as excinfo:
        site_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            name="月塘市场",
            kind=SiteKind.MARKET,
            times=times,
            now=NOW,
        )
    assert errors_of(excinfo) == {"times": [message]}


def test_rejects_a_second_site_of_the_same_name(tree, personas, toilet):
    with pytest.raises(ValidationError) as excinfo:
        site_create(
            actor=personas.township_officer,
            unit=tree.yuetang,
            name="月塘公厕",
            kind=SiteKind.PUBLIC_TOILET,
            runs_per_day=1,
            now=NOW,
        )
    assert errors_of(excinfo) == {"name": ["该单元已有同名点位。"]}


def test_a_department_can_be_responsible(tree, personas):
    # given: 城管局 attached to the city
    department = unit_create(parent=tree.city, name="市城管局", kind="department")
    # when: the city command sets it up
    site = site_create(
        actor=personas.commander,
        unit=tree.liyu,
        name="栗雨垃圾中转站",
        kind=SiteKind.GARBAGE_STATION,
        responsible_unit=department,
        runs_per_day=3,
        now=NOW,
    )
    # then
    assert site.responsible_unit_code == department.code


def test_the_responsible_unit_must_be_visible(tree, personas):
    # given: the township cannot see the city's departments, nor another county
    department = unit_create(parent=tree.city, name="市城管局", kind="department")
    for responsible in (department, tree.wenhualu):
        with pytest.raises(ValidationError) as excinfo:
            site_create(
                actor=personas.township_officer,
                unit=tree.yuetang,
                name="月塘垃圾桶",
                kind=SiteKind.BIN_CLUSTER,
                responsible_unit=responsible,
                runs_per_day=2,
                now=NOW,
            )
        assert errors_of(excinfo) == {"responsible_unit": ["责任单位不存在或不在您的辖区内。"]}


def test_the_village_itself_is_responsible_by_default(tree, personas):
    site = site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘垃圾桶",
        kind=SiteKind.BIN_CLUSTER,
        runs_per_day=2,
        now=NOW,
    )
    assert (site.responsible_unit, site.responsible_unit_code) == (None, "")


def test_updates_the_schedule_and_stops_a_site(personas, toilet):
    site = site_update(actor=personas.village_worker, site=toilet, runs_per_day=3, times=None)
    assert site.times == ["11:20", "16:40", "22:00"]
    site = site_update(actor=personas.village_worker, site=site, is_active=False)
    assert Site.objects.get().is_active is False


def test_kind_is_fixed_once_runs_exist(personas, toilet, run_at):
    run_at(toilet, at(7))
    with pytest.raises(ValidationError) as excinfo:
        site_update(actor=personas.village_worker, site=toilet, kind=SiteKind.MARKET)
    assert errors_of(excinfo) == {"kind": ["已有消杀记录的点位不能更改类别。"]}


# run_record


def test_records_a_toilet_run_with_its_checklist(personas, toilet):
    # when
    run, created = run_record(
        actor=personas.village_worker,
        site=toilet,
        agent="chlorine_84",
        concentration="1000",
        checklist={**TOILET_DONE, "surroundings": False},
        client_uuid=uuid.uuid4(),
        now=NOW,
    )
    # then
    assert created
    assert (run.done_at, run.done_on, run.unit_code) == (NOW, date(2020, 1, 30), toilet.unit_code)
    assert (run.concentration, run.concentration_unit) == (Decimal("1000.00"), "mg/L")
    assert run.operator == str(personas.village_worker)
    assert run.complete is False


def test_alcohol_is_measured_in_percent(personas, toilet):
    run, _ = run_record(
        actor=personas.village_worker,
        site=toilet,
        agent="alcohol",
        concentration="75",
        checklist=TOILET_ALL,
        client_uuid=uuid.uuid4(),
        now=NOW,
    )
    assert (run.concentration_unit, run.complete) == ("%", True)


@pytest.mark.parametrize(
    ("checklist", "message"),
    [
        ({**TOILET_ALL, "windows": True}, "检查清单中没有这一项：windows。"),
        (TOILET_DONE, "请逐项填写检查清单（缺少：周边环境）。"),
        (dict.fromkeys(TOILET_ALL, False), "请至少勾选一项已消杀的内容。"),
        ({**TOILET_ALL, "floor": "yes"}, "检查清单格式不对：每一项应为 是/否。"),
        (["floor"], "检查清单格式不对：每一项应为 是/否。"),
    ],
)
def test_the_checklist_must_match_the_kind(personas, toilet, checklist, message):
    with pytest.raises(ValidationError) as excinfo:
        run_record(
            actor=personas.village_worker,
            site=toilet,
            agent="chlorine_84",
            concentration="500",
            checklist=checklist,
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    assert errors_of(excinfo) == {"checklist": [message]}


def test_a_mask_waste_bin_has_its_own_checklist(tree, personas):
    site = site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘小区口罩回收桶",
        kind=SiteKind.MASK_WASTE_BIN,
        runs_per_day=2,
        now=NOW,
    )
    run, _ = run_record(
        actor=personas.village_worker,
        site=site,
        agent="chlorine_84",
        concentration="500",
        checklist={
            "emptied": True,
            "bagged_separately": True,
            "handed_to_transport": True,
            "bin_disinfected": True,
        },
        client_uuid=uuid.uuid4(),
        now=NOW,
    )
    assert run.complete


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"agent": "vinegar"}, {"agent": ["请选择消毒剂。"]}),
        ({"concentration": ""}, {"concentration": ["请填写浓度。"]}),
        ({"concentration": "NaN"}, {"concentration": ["请填写浓度。"]}),
        ({"concentration": "20000"}, {"concentration": ["浓度应在 1–10000 mg/L 之间。"]}),
        (
            {"agent": "alcohol", "concentration": "750"},
            {"concentration": ["浓度应在 0.01–100 % 之间。"]},
        ),
        ({"concentration_unit": "ppm"}, {"concentration_unit": ["浓度单位只能是 mg/L 或 %。"]}),
        ({"done_at": at(15, 10)}, {"done_at": ["消杀时间不能晚于现在。"]}),
        ({"done_at": at(9, day=date(2020, 1, 20))}, {"done_at": ["只能补录 7 天内的消杀。"]}),
        ({"done_at": at(9, day=date(1, 1, 1))}, {"done_at": ["只能补录 7 天内的消杀。"]}),
    ],
)
def test_rejects_bad_runs(personas, toilet, fields, errors):
    arguments = {
        "actor": personas.village_worker,
        "site": toilet,
        "agent": "chlorine_84",
        "concentration": "500",
        "checklist": TOILET_ALL,
        "client_uuid": uuid.uuid4(),
        "now": NOW,
    }
    with pytest.raises(ValidationError) as excinfo:
        run_record(**(arguments | fields))
    assert errors_of(excinfo) == errors
    assert not DisinfectionRun.objects.exists()


def test_a_run_may_be_recorded_afterwards(personas, toilet):
    run, _ = run_record(
        actor=personas.village_worker,
        site=toilet,
        agent="chlorine_84",
        concentration="500",
        checklist=TOILET_ALL,
        client_uuid=uuid.uuid4(),
        done_at=at(7, 30),
        now=NOW,
    )
    assert run.done_at == at(7, 30)


def test_a_run_at_a_site_out_of_jurisdiction_is_refused(personas, neighbour_bins):
    with pytest.raises(ValidationError) as excinfo:
        run_record(
            actor=personas.village_worker,
            site=neighbour_bins,
            agent="chlorine_84",
            concentration="500",
            checklist={"bins_inside": True, "bins_outside": True, "ground": True},
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    assert errors_of(excinfo) == {"site": ["点位不存在或不在您的辖区内。"]}


def test_the_responsible_department_may_record(tree, personas, run_at):
    # given: a toll gate in 栗雨 that the city's 城管局 disinfects
    from bastion.testing import person_of

    department = unit_create(parent=tree.city, name="市城管局", kind="department")
    sanitation = person_of("sanitation", "volunteer", department)
    site = site_create(
        actor=personas.commander,
        unit=tree.liyu,
        name="株洲西收费站",
        kind=SiteKind.TOLL_GATE,
        responsible_unit=department,
        runs_per_day=4,
        now=NOW,
    )
    # when
    run = run_at(site, NOW, actor=sanitation)
    # then
    assert run.responsible_unit_code == department.code


def test_a_stopped_site_takes_no_runs(personas, toilet, run_at):
    site_update(actor=personas.village_worker, site=toilet, is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        run_at(toilet, NOW)
    assert errors_of(excinfo) == {"site": ["该点位已停用，不能再记录消杀。"]}


def test_a_double_tap_records_one_run(personas, toilet):
    # given
    key = uuid.uuid4()
    arguments = {
        "actor": personas.village_worker,
        "site": toilet,
        "agent": "chlorine_84",
        "concentration": "500",
        "checklist": TOILET_ALL,
        "client_uuid": key,
        "now": NOW,
    }
    first, created = run_record(**arguments)
    # when
    second, created_again = run_record(**arguments)
    # then
    assert (created, created_again, second.pk) == (True, False, first.pk)
    assert DisinfectionRun.objects.count() == 1


def test_a_client_uuid_from_another_jurisdiction_is_refused(personas, toilet, neighbour_bins):
    key = uuid.uuid4()
    run_record(
        actor=personas.village_worker,
        site=toilet,
        agent="chlorine_84",
        concentration="500",
        checklist=TOILET_ALL,
        client_uuid=key,
        now=NOW,
    )
    with pytest.raises(ValidationError) as excinfo:
        run_record(
            actor=personas.neighbour_worker,
            site=neighbour_bins,
            agent="chlorine_84",
            concentration="500",
            checklist={"bins_inside": True, "bins_outside": True, "ground": True},
            client_uuid=key,
            now=NOW,
        )
    assert errors_of(excinfo) == {"client_uuid": ["该 client_uuid 已用于另一条记录。"]}
