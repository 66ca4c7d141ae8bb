import pytest
from django.core.exceptions import EmptyResultSet

from bastion.accounts.jurisdiction import _next_prefix
from bastion.exports.datasets import DATASETS, FilterKind
from bastion.exports.models import ExportStatus
from bastion.exports.services import export_job_create, export_job_run


def sample(f):
    if f.kind in (FilterKind.CHOICE, FilterKind.FLAG):
        return next(iter(f.choices))
    return "2020-02-01"


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_exports_with_every_filter(tree, personas, name):
    # given: the commander may see every list of the city
    dataset = DATASETS[name]
    filters = {f.name: sample(f) for f in dataset.filters}
    # when
    job = export_job_run(
        job=export_job_create(
            actor=personas.commander,
            dataset_name=name,
            unit_code=tree.yuetang.code,
            filters=filters,
            purpose="核对导出字段",
            reveal=True,
            reveal_reason="核对完整字段",
        )
    )
    # then
    assert job.status == ExportStatus.DONE, job.message
    assert job.filters == filters
    assert job.row_count == 0


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_is_scoped(tree, personas, name):
    # the grid worker's rows are those of 月塘, or none where the list is not theirs
    qs = DATASETS[name].queryset(user=personas.village_worker, scope_prefix="", filters={})
    try:
        sql = str(qs.query)
    except EmptyResultSet:
        return
    # the scope is the code range of 月塘 (jurisdiction.code_under): once for the list's
    # capability, once for exporting
    upper = _next_prefix(tree.yuetang.scope_prefix)
    assert sql.count(f">= {tree.yuetang.scope_prefix} AND") == 2
    assert sql.count(f"< {upper}") == 2


def test_a_dataset_without_personal_columns_is_declared_so():
    assert DATASETS["persons"].has_personal_data
