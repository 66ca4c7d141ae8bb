"""Figure 4, the export: about 200,000 rows through the real export job (bastion.exports:
`export_job_create`, then `export_job_run`, the body of the background task), beside its
floor, xlsxwriter in constant-memory mode writing the same rows from a plain
`values_list` query. Each runs in a forked child, so each peak memory is its own."""

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import timezone

from bastion.benchmarks.measure import Row, in_child
from bastion.checkpoints.models import PassengerCheck

DATASET = "passengers"  # the largest table of the dataset
TARGET_ROWS = 200_000
CITY = "430200000000"


def _since(today: date, target: int) -> tuple[date, int]:
    """The latest day from which on at least `target` passengers were checked (or the
    earliest day there is), and how many rows that selects."""
    tz = timezone.get_current_timezone()
    count = 0
    day = today
    for back in range(1, 32):
        day = today - timedelta(days=back)
        since = datetime.combine(day, time.min, tzinfo=tz)
        count = PassengerCheck.objects.filter(occurred_at__gte=since).count()
        if count >= target:
            break
    return day, count


def _real(user_id: int, since: date) -> dict[str, Any]:
    from bastion.accounts.models import User
    from bastion.exports.services import export_job_create, export_job_run

    user = User.objects.get(pk=user_id)
    job = export_job_create(
        actor=user,
        dataset_name=DATASET,
        unit_code=CITY,
        filters={"since": since.isoformat()},
        purpose="基准测试：导出速度",
    )
    job = export_job_run(job=job)
    size = job.file.size if job.file else 0
    if job.file:
        job.file.delete(save=False)
    return {"status": str(job.status), "rows": job.row_count, "bytes": size, "message": job.message}


def _floor(since: date, paths: list[str], headers: list[str]) -> dict[str, Any]:
    tz = timezone.get_current_timezone()
    bound = datetime.combine(since, time.min, tzinfo=tz)
    qs = PassengerCheck.objects.filter(occurred_at__gte=bound).order_by("-occurred_at", "-pk")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "floor.xlsx"
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("floor")
        sheet.write_row(0, 0, headers)
        n = 0
        for n, values in enumerate(qs.values_list(*paths).iterator(chunk_size=2000), start=1):
            sheet.write_row(
                n,
                0,
                [v if isinstance(v, int | float | str) else str(v) for v in values],
            )
        book.close()
        return {"rows": n, "bytes": path.stat().st_size}


def export_bench(user: Any, today: date) -> list[Row]:
    try:
        from bastion.exports.datasets import dataset_get
        from bastion.exports.services import export_job_run  # noqa: F401 - presence check
    except ImportError as e:
        return [Row("export", f"not available: {e}")]
    dataset = dataset_get(DATASET)
    since, count = _since(today, TARGET_ROWS)
    paths = [c.path for c in dataset.columns]
    floor = in_child(lambda: _floor(since, paths, dataset.headers))
    real = in_child(lambda: _real(user.pk, since))
    if real["status"] != "done":
        return [Row("export", f"failed: {real['status']} {real['message']}")]
    return [
        Row(
            figure=f"export {DATASET}: {real['rows']:,} rows × {len(paths)} columns to xlsx",
            measured=f"{real['seconds']:.2f} s, peak {real['peak_mb']:.0f} MB",
            floor=f"{floor['seconds']:.2f} s, peak {floor['peak_mb']:.0f} MB",
            ratio=real["seconds"] / floor["seconds"],
            goal="≤ 1.3×, ≤ 300 MB",
            note=f"masked; floor wrote {floor['rows']:,} rows ({count:,} selected)",
            limit=13.0,
        )
    ]
