import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog
from bastion.screening.models import ImportJob, TravelRecord
from bastion.screening.tests.test_import import messy, sweep_2020  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("sweep_2020")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, tree, data=None):
    return client.post(
        "/screening/imports/",
        {"unit": tree.yuetang.code, "file": SimpleUploadedFile("名单.xlsx", data or messy())},
    )


def test_upload_previews_then_confirm_applies(personas, client_of, tree):
    # given
    client = client_of(personas.village_worker)
    # when the file is uploaded, the background check runs (immediately in tests)
    response = upload(client, tree)
    job = ImportJob.objects.get()
    preview = client.get(f"/screening/imports/{job.pk}/").content.decode()
    # then the preview shows the counts and each rejected row, and nothing is written yet
    assert response.url == f"/screening/imports/{job.pk}/"
    assert 'data-import-status="previewed"' in preview
    assert "data-created>8<" in preview and "data-rejected>5<" in preview
    assert "日期不存在：2020-13-01。" in preview and not TravelRecord.objects.exists()
    # when confirmed
    client.post(f"/screening/imports/{job.pk}/confirm/")
    # then
    job.refresh_from_db()
    assert job.status == "applied" and job.created_by == personas.village_worker
    assert TravelRecord.objects.count() == 8
    assert AccessLog.objects.filter(object_type="import_job", action="create").exists()


def test_a_second_confirm_writes_nothing_more(personas, client_of, tree):
    client = client_of(personas.village_worker)
    upload(client, tree)
    job = ImportJob.objects.get()
    client.post(f"/screening/imports/{job.pk}/confirm/")
    response = client.post(f"/screening/imports/{job.pk}/confirm/", follow=True)
    assert "该导入已确认过，或还未完成检查。" in response.content.decode()
    assert TravelRecord.objects.count() == 8


def test_an_unreadable_file_fails_with_the_reason(personas, client_of, tree):
    client = client_of(personas.village_worker)
    upload(client, tree, data=b"not a workbook")
    job = ImportJob.objects.get()
    page = client.get(f"/screening/imports/{job.pk}/").content.decode()
    assert job.__class__.objects.get().status == "failed"
    assert "无法读取文件：不是有效的 Excel 文件（.xlsx、.xls 或 .ods），或文件已损坏。" in page


def test_the_rejected_rows_download_with_a_reason_column(personas, client_of, tree):
    client = client_of(personas.village_worker)
    upload(client, tree)
    job = ImportJob.objects.get()
    response = client.get(f"/screening/imports/{job.pk}/rejected.xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][0:3] == ["原工作表", "原行号", "姓名"] and rows[0][-1] == "原因"
    assert len(rows) == 6
    assert rows[-1][-1] == "抵株时间：日期不存在：2020-13-01。"
    assert AccessLog.objects.filter(object_type="import_job", action="export").exists()


def test_the_rejected_rows_file_can_be_imported_after_fixing(personas, client_of, tree):
    # given the downloaded rejected rows, with the bad date fixed
    client = client_of(personas.village_worker)
    upload(client, tree)
    job = ImportJob.objects.get()
    content = client.get(f"/screening/imports/{job.pk}/rejected.xlsx").content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    from bastion.screening.tests.workbooks import workbook

    fixed = [r[:-1] for r in rows]
    fixed[-1][2 + 6] = "2020-01-13"  # 返乡日期 of 冯二
    # when
    upload(client, tree, data=workbook({"改正": fixed}))
    # then the fixed row is accepted, and so is 李四 (in conflict only with another row of the
    # first file); the three others are still refused for the same reasons
    second = ImportJob.objects.order_by("-id").first()
    assert (second.result["created"], second.result["rejected"]) == (2, 3)


def test_the_template_downloads(personas, client_of):
    response = client_of(personas.village_worker).get("/screening/imports/template.xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][:3] == ["姓名", "身份证号", "手机号"] and rows[1][1] == "430202199001010011"


def test_an_import_out_of_jurisdiction_is_404(personas, client_of, tree):
    upload(client_of(personas.village_worker), tree)
    job = ImportJob.objects.get()
    client = client_of(personas.neighbour_worker)
    assert client.get(f"/screening/imports/{job.pk}/").status_code == 404
    assert client.post(f"/screening/imports/{job.pk}/confirm/").status_code == 404
    assert client.get(f"/screening/imports/{job.pk}/rejected.xlsx").status_code == 404


def test_importing_into_a_village_out_of_jurisdiction_is_refused(personas, client_of, tree):
    response = client_of(personas.village_worker).post(
        "/screening/imports/",
        {"unit": tree.liyujuwei.code, "file": SimpleUploadedFile("x.xlsx", messy())},
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_the_api_uploads_previews_and_confirms(personas, client_of, tree):
    # given
    client = client_of(personas.village_worker)
    # when
    uploaded = client.post(
        "/api/v1/imports",
        {"unit": tree.yuetang.code, "file": SimpleUploadedFile("a.xlsx", messy())},
    )
    job_id = uploaded.json()["id"]
    status = client.get(f"/api/v1/imports/{job_id}").json()
    confirmed = client.post(f"/api/v1/imports/{job_id}/confirm")
    again = client.post(f"/api/v1/imports/{job_id}/confirm")
    # then
    assert uploaded.status_code == 202 and status["status"] == "previewed"
    assert status["result"]["created"] == 8 and status["result"]["errors"][0]["row"] == 8
    assert confirmed.status_code == 202 and confirmed.json()["status"] == "applied"
    assert again.status_code == 409
    assert client_of(personas.outsider).get(f"/api/v1/imports/{job_id}").status_code == 404
