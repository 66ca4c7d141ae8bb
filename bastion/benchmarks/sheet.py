"""The tier's screening sheet (返乡人员排查表): 20 columns the way a village keeps them,
with 5 % duplicate rows and 2 % ID numbers that fail the GB 11643 check, written with
xlsxwriter in constant-memory mode."""

import random
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter
from django.utils import timezone

from bastion.benchmarks import synthetic as syn
from bastion.benchmarks.tiers import Tier

HEADER = [
    "序号",
    "姓名",
    "性别",
    "年龄",
    "身份证号",
    "手机号",
    "住址",
    "所属网格",
    "从何地返回",
    "出发日期",
    "返乡日期",
    "交通方式",
    "车次/航班/车牌",
    "同行人员",
    "有无发热",
    "体温",
    "工作单位",
    "登记人",
    "登记日期",
    "备注",
]
ORIGINS = ["湖北省武汉市", "湖北黄冈", "广东深圳", "湖南长沙", "浙江温州", "江西萍乡"]
TRANSPORT = [("火车", "G1234"), ("自驾", "湘B12345"), ("飞机", "CZ3456"), ("大巴", "")]
# Returnees who are not in the registry yet are numbered after every other synthetic person.
FIRST_NEWCOMER = 15_000_000
SHEET_UNIT = "430211003016"  # 月塘居委会, the village the sheet is imported into
DUPLICATES = 0.05
BAD_IDS = 0.02
REGISTERED = 0.10


def sheet_write(path: str | Path, *, tier: Tier, seed: int, today: date | None = None) -> int:
    """Write `tier.sheet_rows` rows (duplicates included) to `path`; return the row count."""
    rng = random.Random(seed + 1)  # noqa: S311 - synthetic data, not secrets
    today = today or timezone.localdate()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("返乡人员")
    sheet.write_row(0, 0, HEADER)
    written: list[list[object]] = []  # a bounded sample of earlier rows, to duplicate
    for r in range(tier.sheet_rows):
        if written and rng.random() < DUPLICATES:
            row = list(rng.choice(written))
            row[0] = r + 1
        else:
            registered = rng.random() < REGISTERED
            i = rng.randrange(tier.persons) if registered else FIRST_NEWCOMER + r
            number, born, sex = syn.id_number(i, SHEET_UNIT, seed)
            if rng.random() < BAD_IDS:
                number = number[:17] + ("0" if number[17] != "0" else "1")
            departed = today - timedelta(days=2 + rng.randrange(10))
            arrived = departed + timedelta(days=rng.randrange(2))
            transport, transport_no = rng.choice(TRANSPORT)
            row = [
                r + 1,
                syn.person_name(i, seed)[0],
                "男" if sex == "M" else "女",
                today.year - born.year,
                number,
                syn.mobile(i, seed),
                f"月塘路 {r // 4 + 1} 号",
                f"第{r % 9 + 1}网格",
                rng.choice(ORIGINS),
                f"{departed.month}月{departed.day}日",
                f"{arrived.month}月{arrived.day}日",
                transport,
                transport_no,
                "" if rng.random() < 0.7 else "妻子、儿子",
                "无",
                f"36.{rng.randrange(10)}",
                "个体",
                "网格员",
                f"{today:%Y-%m-%d}",
                "",
            ]
            if len(written) < 1000:
                written.append(row)
        sheet.write_row(r + 1, 0, row)
    book.close()
    return tier.sheet_rows
