from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog, Action
from bastion.core.errors import ValidationError
from bastion.exports.models import ExportJob, ExportStatus
from bastion.exports.services import export_files_expire, export_job_create, export_job_run
from bastion.people.models import Person


def sheet_rows(job: Any) -> list[list[Any]]:
    with job.file.open("rb") as fh:
        book = CalamineWorkbook.from_filelike(BytesIO(fh.read()))
    rows: list[list[Any]] = []
    for name in book.sheet_names:
        data = book.get_sheet_by_name(name).to_python()
        rows += data[1:] if rows else data
    return rows


def run(**kwargs: Any) -> Any:
    job = export_job_create(**kwargs)
    return export_job_run(job=job)


def test_an_export_is_masked_by_default(tree, personas, people):
    # when
    job = run(actor=personas.village_worker, dataset_name="persons", purpose="上报返乡人员名单")
    # then
    assert job.status == ExportStatus.DONE
    assert job.masked is True
    rows = sheet_rows(job)
    assert rows[0][:3] == ["编号", "姓名", "身份证号"]
    assert [r[1:3] for r in rows[1:]] == [["张*", "4302**********0011"]]
    assert rows[1][5] == "138****8000"
    assert rows[1][6] == "月塘路***"


def test_a_full_export_needs_the_reveal_capability_and_a_reason(tree, personas, people):
    # when: the village worker may reveal in 月塘 and gives a reason
    job = run(
        actor=personas.village_worker,
        dataset_name="persons",
        purpose="电话随访返乡人员",
        reveal=True,
        reveal_reason="疾控要求逐一电话核实",
    )
    # then
    rows = sheet_rows(job)
    assert rows[1][1:3] == ["张三", "430202199001010011"]
    assert job.masked is False


def test_a_full_export_without_a_reason_is_refused(tree, personas, people):
    with pytest.raises(ValidationError) as e:
        export_job_create(
            actor=personas.village_worker,
            dataset_name="persons",
            purpose="电话随访返乡人员",
            reveal=True,
            reveal_reason="",
        )
    assert e.value.message_dict == {"reveal_reason": ["显示完整信息的理由应为 4–200 个字。"]}


def test_a_full_export_without_the_capability_is_refused(tree, people, no_reveal_worker):
    with pytest.raises(ValidationError) as e:
        export_job_create(
            actor=no_reveal_worker,
            dataset_name="persons",
            purpose="电话随访返乡人员",
            reveal=True,
            reveal_reason="疾控要求逐一电话核实",
        )
    assert e.value.message_dict == {"reveal": ["你没有在该范围内显示完整信息的权限。"]}


@pytest.mark.parametrize("purpose", ["", "上报", "x" * 201])
def test_an_export_states_its_purpose(tree, personas, purpose):
    with pytest.raises(ValidationError) as e:
        export_job_create(actor=personas.village_worker, dataset_name="persons", purpose=purpose)
    assert e.value.message_dict == {"purpose": ["用途应为 4–200 个字。"]}


def test_an_export_holds_only_the_requesters_jurisdiction(tree, personas, people):
    # when: the township officer exports all of 栗雨街道
    job = run(actor=personas.township_officer, dataset_name="persons", purpose="街道汇总名单")
    # then: 月塘 and 栗雨, never 文化路 of the other county
    names = sorted(r[1] for r in sheet_rows(job)[1:])
    assert names == ["张*", "李*"]
    assert job.row_count == 2


def test_an_export_of_one_unit_holds_that_unit_only(tree, personas, people):
    job = run(
        actor=personas.township_officer,
        dataset_name="persons",
        unit_code=tree.liyujuwei.code,
        purpose="栗雨社区名单",
    )
    assert [r[1] for r in sheet_rows(job)[1:]] == ["李*"]


def test_an_out_of_scope_unit_is_not_found(tree, personas, people):
    with pytest.raises(Http404):
        export_job_create(
            actor=personas.village_worker,
            dataset_name="persons",
            unit_code=tree.wenhualu.code,
            purpose="看看别的社区",
        )


def test_an_unknown_dataset_is_not_found(tree, personas):
    with pytest.raises(Http404):
        export_job_create(actor=personas.village_worker, dataset_name="secrets", purpose="试一试")


def test_a_bad_filter_is_a_field_error(tree, personas):
    with pytest.raises(ValidationError) as e:
        export_job_create(
            actor=personas.village_worker,
            dataset_name="observations",
            filters={"since": "2020-13-01", "status": "gone"},
            purpose="观察名单",
        )
    assert e.value.message_dict == {
        "status": ["不是可选的值。"],
        "since": ["日期格式应为 YYYY-MM-DD。"],
    }


def test_the_export_is_logged_with_filter_count_and_masking(tree, personas, people):
    # when
    job = run(
        actor=personas.village_worker,
        dataset_name="persons",
        filters={"tag": "is_pregnant", "page": "3"},
        purpose="孕产妇关爱名单",
    )
    # then
    entry = AccessLog.objects.get(action=Action.EXPORT)
    assert entry.user == personas.village_worker
    assert entry.object_type == "person"
    assert entry.reason == "孕产妇关爱名单"
    assert entry.unit_code == tree.yuetang.code
    assert entry.detail == {
        "dataset": "persons",
        "filters": {"tag": "is_pregnant"},
        "count": 0,
        "masked": True,
        "job": job.pk,
    }


def test_the_job_expires_after_the_configured_time(tree, personas, settings):
    settings.BASTION_EXPORT_TTL = timedelta(hours=2)
    now = timezone.now()
    job = export_job_create(
        actor=personas.village_worker, dataset_name="persons", purpose="上报名单", now=now
    )
    assert job.expires_at == now + timedelta(hours=2)


def test_a_requester_who_lost_the_unit_gets_a_failed_job(tree, personas, people):
    # given: queued, then the membership ends before the worker runs it
    queued = export_job_create(
        actor=personas.village_worker, dataset_name="persons", purpose="上报名单"
    )
    personas.village_worker.memberships.update(is_active=False)
    # when: the worker loads the job afresh
    job = export_job_run(job=ExportJob.objects.get(pk=queued.pk))
    # then
    assert job.status == ExportStatus.FAILED
    assert job.message == "你已不再有权导出该范围的数据。"
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_a_large_export_streams_every_row(tree, personas):
    # given: 20,001 persons, where peers crash above 20,000
    Person.objects.bulk_create(
        Person(name=f"测试{i}", unit=tree.yuetang, unit_code=tree.yuetang.code)
        for i in range(20_001)
    )
    # when
    job = run(actor=personas.village_worker, dataset_name="persons", purpose="全量名单核对")
    # then
    assert job.status == ExportStatus.DONE
    assert job.row_count == 20_001
    assert job.rows_done == 20_001
    assert len(sheet_rows(job)) == 20_002  # and the header


def test_expired_files_are_deleted_and_the_job_stays(tree, personas, people):
    # given
    job = run(actor=personas.village_worker, dataset_name="persons", purpose="上报返乡人员名单")
    path = job.file.path
    later = job.expires_at + timedelta(seconds=1)
    # when
    removed = export_files_expire(now=later)
    again = export_files_expire(now=later)
    # then
    job.refresh_from_db()
    assert (removed, again) == (1, 0)
    assert not job.file
    assert not Path(path).exists()
    assert job.row_count == 1


def test_a_job_runs_once(tree, personas, people):
    job = run(actor=personas.village_worker, dataset_name="persons", purpose="上报返乡人员名单")
    again = export_job_run(job=ExportJob.objects.get(pk=job.pk))
    assert again.status == ExportStatus.DONE
    assert AccessLog.objects.filter(action=Action.EXPORT).count() == 1


def test_an_export_over_two_counties_is_logged_for_both(tree, personas, people):
    # given: the worker of 月塘 also works in 文化路 of another county
    from bastion.accounts.models import Membership

    Membership.objects.create(
        user=personas.village_worker, unit=tree.wenhualu, role="village_worker"
    )
    # when
    job = run(actor=personas.village_worker, dataset_name="persons", purpose="两地名单核对")
    # then
    assert job.row_count == 2
    codes = sorted(
        AccessLog.objects.filter(action=Action.EXPORT).values_list("unit_code", flat=True)
    )
    assert codes == [tree.wenhualu.code, tree.yuetang.code]
