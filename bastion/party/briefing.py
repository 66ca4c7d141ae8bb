"""The briefing (简报) as a template of paragraphs with figure placeholders.

A paragraph is {"id": "p3", "kind": "heading" | "text" | "deeds", "text": "..."}; its text
names figures as `{observation.active}`. Rendering replaces each placeholder with the live
figure (bastion.party.figures), so the author writes the words around the figures and never
the figures: an edit must keep each existing paragraph's placeholders as they were, in their
order (it may insert more, as the editor's insert-figure control does), may not name an unknown
figure, and may not type a number that is one of the draft's figures.
"""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from bastion.core.errors import ValidationError
from bastion.party.figures import BriefFigure, catalogue, format_value

PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A number followed by one of these is a date or a time of day, not a figure.
DATE_SUFFIX = ("年", "月", "日", "时", "点", "号", ":", "：")
KINDS = ("heading", "text", "deeds")
MAX_PARAGRAPHS = 40
MAX_TEXT = 2000
MAX_DEEDS = 8

DEFAULT_PARAGRAPHS: list[tuple[str, str]] = [
    ("text", "越是风急浪骤，越需中流砥柱。关键时刻，生死关头，党组织就是主心骨。"),
    (
        "text",
        "{meta.start}至{meta.end}，{meta.unit}各行业各领域{party.orgs}个基层党组织、"
        "{party.party_members}名党员奋勇争先，其中{party.orgs_engaged}个党组织、"
        "{party.party_on_duty}名党员和{party.non_party_on_duty}名群众在岗在位，累计工作"
        "{party.hours}小时，{party.cancelled_leave}人主动取消休假，战斗在第一线、工作在最前沿，"
        "构筑起阻击疫情的坚固屏障。",
    ),
    ("heading", "把最美的身影留在战“疫”最前线"),
    (
        "text",
        "医疗卫生战线的党组织团结带领广大党员和医务工作者冲锋在前。党员们递交请战书"
        "{brief.pledges}份；选派{brief.teams}支队伍、{brief.team_members}名队员外出支援，其中党员"
        "{brief.team_party_members}名，成立临时党支部{party.temporary_branches}个，"
        "{brief.join_applications}名非党员队员递交了入党申请书。{brief.volunteers_signed}人踊跃"
        "报名参加疫情防控工作。医学观察中发现发热{observation.fevers}人次，转诊发热门诊"
        "{five_early.referred}人。",
    ),
    ("heading", "党旗在群众最需要的地方飘扬"),
    (
        "text",
        "各乡镇（街道）、村（社区）党组织组织党员志愿者挨家挨户排查，开展入户排查"
        "{screening.sweeps}轮、走访{screening.visits}次，已排查住户{screening.covered}户。"
        "目前在观察{observation.active}人，其中居家医学观察{observation.active_home}人。党员干部"
        "上户劝说，劝延、取消或简办各类酒宴{brief.banquets_persuaded}起。设立党员先锋岗"
        "{party.posts}个、党员责任区{party.areas}个。",
    ),
    ("heading", "集结战“疫”合力"),
    (
        "text",
        "部门、行业、企业等党组织闻“令”而动。设置查控卡点{brief.checkpoints}个，其中高速公路"
        "互通口{brief.interchanges}个，党员和志愿者值守{party.shifts}人次，查验车辆"
        "{checkpoints.vehicles}辆、人员{checkpoints.persons}人次，发现发热人员"
        "{checkpoints.fevers}人。开展环境消杀{disinfection.done}次，配送防疫物资"
        "{brief.deliveries}批次、{supplies.issued}件。社会各界捐款{donations.money}元，捐赠口罩"
        "{brief.masks_donated}个。",
    ),
    ("heading", "先进事迹"),
    ("deeds", ""),
    ("text", "党徽闪耀，璨若明灯。万众一心，力能断金。"),
]


def default_paragraphs() -> list[dict[str, str]]:
    return [
        {"id": f"p{i + 1}", "kind": kind, "text": text}
        for i, (kind, text) in enumerate(DEFAULT_PARAGRAPHS)
    ]


def default_title(unit_name: str) -> str:
    return f"战“疫”的堡垒 防控的屏障——{unit_name}各级基层党组织抗击疫情综述"


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def _keeps(before: list[str], after: list[str]) -> bool:
    """Every placeholder of `before` is still in `after`, in the same order: figures may be
    inserted, never removed, changed or swapped."""
    rest = iter(after)
    return all(any(name == kept for kept in rest) for name in before)


def _typed_figure(text: str, figures: dict[str, BriefFigure]) -> str | None:
    """A number typed in the words that equals one of the draft's figures, if any."""
    words = PLACEHOLDER.sub(" ", text)
    numeric = {f.text: f for f in figures.values() if f.source != "meta" and f.value is not None}
    for match in NUMBER.finditer(words):
        after = words[match.end() : match.end() + 1]
        if after and after in DATE_SUFFIX:
            continue
        if match.group() in numeric:
            return match.group()
    return None


def clean_paragraphs(
    new: list[dict[str, Any]], old: list[dict[str, Any]], figures: dict[str, BriefFigure]
) -> list[dict[str, str]]:
    """Validate an edit of the paragraphs; return them normalised. Errors are keyed
    `paragraphs.<n>` (1-based) so that the editor can show them beside the paragraph."""
    if len(new) > MAX_PARAGRAPHS:
        raise ValidationError({"paragraphs": f"简报最多 {MAX_PARAGRAPHS} 段。"})
    known = catalogue()
    before = {str(p.get("id")): placeholders(str(p.get("text", ""))) for p in old}
    errors: dict[str, str] = {}
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, p in enumerate(new, start=1):
        key = f"paragraphs.{n}"
        kind = str(p.get("kind", "text"))
        text = str(p.get("text", "")).replace("\r\n", "\n").strip()
        pid = str(p.get("id") or "")
        if kind not in KINDS:
            errors[key] = "未知的段落类型。"
            continue
        if len(text) > MAX_TEXT:
            errors[key] = f"每段不超过 {MAX_TEXT} 字。"
            continue
        names = placeholders(text)
        stray = PLACEHOLDER.sub("", text)
        if "{" in stray or "}" in stray:
            errors[key] = "数据占位格式有误：请保留“{…}”原样，不要修改。"
        elif unknown := [k for k in names if k not in known]:
            errors[key] = f"未知的数据项：{unknown[0]}。"
        elif pid in before and not _keeps(before[pid], names):
            errors[key] = (
                "数字由系统根据实时数据生成，不能修改、删除或调换，只能修改数字前后的文字。"
            )
        elif (typed := _typed_figure(text, figures)) is not None:
            errors[key] = f"“{typed}”与本简报的一项数据相同：请用数据占位，不要手工输入数字。"
        if pid not in before or pid in seen:
            pid = "p" + secrets.token_hex(4)
        seen.add(pid)
        cleaned.append({"id": pid, "kind": kind, "text": "" if kind == "deeds" else text})
    if errors:
        raise ValidationError(errors)
    return cleaned


@dataclass
class Part:
    text: str
    figure: BriefFigure | None = None


@dataclass
class RenderedParagraph:
    id: str
    kind: str
    template: str
    parts: list[Part]

    @property
    def plain(self) -> str:
        return "".join(p.text for p in self.parts)


def render_paragraph(
    paragraph: dict[str, Any], figures: dict[str, BriefFigure]
) -> RenderedParagraph:
    text = str(paragraph.get("text", ""))
    parts: list[Part] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            parts.append(Part(text[position : match.start()]))
        figure = figures.get(match.group(1))
        if figure is None:
            parts.append(Part(match.group()))
        else:
            parts.append(Part(format_value(figure.value), figure))
        position = match.end()
    if position < len(text):
        parts.append(Part(text[position:]))
    return RenderedParagraph(
        str(paragraph.get("id", "")), str(paragraph.get("kind", "text")), text, parts
    )
