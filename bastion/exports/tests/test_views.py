from datetime import timedelta

from django.utils import timezone

from bastion.audit.models import AccessLog, Action
from bastion.exports.models import ExportJob, ExportStatus

NEW = "/exports/new/"


def request_export(client, query, **data):
    return client.post(f"{NEW}?{query}", {"purpose": "上报返乡人员名单", **data})


def test_the_form_shows_the_scope_filter_and_row_count(tree, personas, people, client_of):
    # when
    page = client_of(personas.township_officer).get(
        NEW, {"dataset": "persons", "unit": tree.yuetang.code, "tag": "", "page": "2"}
    )
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "导出：人员名单" in html
    assert "月塘居委会" in html
    assert page.context["rows"] == 1
    assert "reveal" in page.context["form"].fields


def test_the_form_counts_rows_up_to_a_bound_and_says_more(
    tree, personas, people, client_of, monkeypatch
):
    from bastion.exports import views

    # given a page that counts at most 1 row, and more persons than that in the city
    monkeypatch.setattr(views, "ROWS_COUNTED", 1)
    assert people  # the fixture's persons

    # when the commander asks to export every person
    page = client_of(personas.commander).get(NEW, {"dataset": "persons"})

    # then the page says "more than 1"
    assert page.status_code == 200
    assert page.context["rows_more"] is True
    assert "<strong data-rows>超过 1</strong>" in page.content.decode()


def test_a_request_runs_the_job_and_shows_its_page(tree, personas, people, client_of):
    # given
    client = client_of(personas.village_worker)
    # when
    answer = request_export(client, "dataset=persons")
    # then
    job = ExportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/exports/{job.pk}/"
    assert job.status == ExportStatus.DONE and job.masked
    page = client.get(f"/exports/{job.pk}/")
    assert "下载 Excel" in page.content.decode()
    assert "1 行" in client.get("/exports/").content.decode()


def test_the_progress_partial_polls_while_the_job_runs(tree, personas, client_of):
    job = ExportJob.objects.create(
        requester=personas.village_worker,
        dataset="persons",
        purpose="上报名单",
        status=ExportStatus.RUNNING,
        rows_done=50,
        rows_total=200,
        expires_at=timezone.now() + timedelta(hours=24),
    )
    page = client_of(personas.village_worker).get(f"/exports/{job.pk}/", HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "25%" in html
    assert "<html" not in html


def test_a_short_purpose_is_a_field_error(tree, personas, client_of):
    page = request_export(client_of(personas.village_worker), "dataset=persons", purpose="报")
    assert page.status_code == 200
    assert page.context["form"].errors == {"purpose": ["用途应为 4–200 个字。"]}
    assert not ExportJob.objects.exists()


def test_a_full_export_asks_for_a_reason(tree, personas, client_of):
    page = request_export(client_of(personas.village_worker), "dataset=persons", reveal="on")
    assert page.context["form"].errors == {
        "reveal_reason": ["选择完整信息时，请填写理由（至少 4 个字）。"]
    }


def test_without_the_reveal_capability_there_is_no_full_export(tree, no_reveal_worker, client_of):
    # given
    client = client_of(no_reveal_worker)
    # when: the box is not offered, and a forged one is ignored
    page = client.get(NEW, {"dataset": "persons"})
    request_export(client, "dataset=persons", reveal="on", reveal_reason="我想看完整信息")
    # then
    assert "reveal" not in page.context["form"].fields
    assert ExportJob.objects.get().masked is True


def test_an_out_of_scope_unit_is_not_found(tree, personas, client_of):
    page = client_of(personas.village_worker).get(
        NEW, {"dataset": "persons", "unit": tree.wenhualu.code}
    )
    assert page.status_code == 404


def test_a_dataset_the_user_cannot_see_is_not_found(tree, personas, client_of):
    # a grid worker does not see the roadside log
    page = client_of(personas.village_worker).get(NEW, {"dataset": "passages"})
    assert page.status_code == 404


def test_only_the_requester_sees_and_downloads_the_job(tree, personas, people, client_of):
    # given
    request_export(client_of(personas.village_worker), "dataset=persons")
    job = ExportJob.objects.get()
    # when: even the city commander
    other = client_of(personas.commander)
    # then
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/file/").status_code == 404
    assert other.get("/exports/").context["jobs"] == []


def test_each_download_is_logged(tree, personas, people, client_of):
    # given
    client = client_of(personas.village_worker)
    request_export(client, "dataset=persons")
    job = ExportJob.objects.get()
    # when
    first = client.get(f"/exports/{job.pk}/file/")
    client.get(f"/exports/{job.pk}/file/")
    # then
    assert first.status_code == 200
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(first.streaming_content)[:2] == b"PK"
    downloads = AccessLog.objects.filter(action=Action.EXPORT, field="download")
    assert downloads.count() == 2
    assert downloads.first().object_id == f"export:{job.pk}"


def test_an_expired_export_cannot_be_downloaded(tree, personas, people, client_of):
    # given
    client = client_of(personas.village_worker)
    request_export(client, "dataset=persons")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    # when
    download = client.get(f"/exports/{job.pk}/file/")
    page = client.get(f"/exports/{job.pk}/")
    # then
    assert download.status_code == 404
    assert "过期，不能再下载" in page.content.decode()
    assert "已过期" in client.get("/exports/").content.decode()


def test_an_auditor_cannot_request_exports(tree, personas, client_of):
    assert client_of(personas.auditor).get(NEW, {"dataset": "persons"}).status_code == 404


def test_without_a_unit_the_form_names_the_units_covered(tree, personas, client_of):
    page = client_of(personas.village_worker).get(NEW, {"dataset": "persons"})
    assert "范围：月塘居委会" in page.content.decode()


def test_my_exports_offers_the_lists_i_may_export(tree, personas, client_of):
    page = client_of(personas.village_worker).get("/exports/")
    names = [d.name for d in page.context["datasets"]]
    assert "persons" in names and "passages" not in names
