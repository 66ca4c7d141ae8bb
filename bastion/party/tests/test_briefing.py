"""The briefing: every figure comes from the report or the engagement, edits keep the figures,
a new draft keeps the structure."""

from datetime import timedelta

import pytest

from bastion.core.errors import StaleVersion, ValidationError
from bastion.party import services
from bastion.party.briefing import placeholders
from bastion.party.engagement import engagement
from bastion.party.selectors import briefing_render
from bastion.party.tests.conftest import TODAY
from bastion.reports.catalogue import FIGURES
from bastion.reports.selectors import situation_report

WEEK_START = TODAY - timedelta(days=TODAY.weekday())


@pytest.fixture
def draft(tree, personas, front):
    return services.briefing_create(
        actor=personas.township_officer, unit=tree.liyu, start=WEEK_START, end=TODAY
    )


def test_every_figure_of_the_draft_equals_the_report_or_the_engagement(
    tree, personas, front, draft
):
    # when
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    # then
    report = situation_report(tree.liyu, WEEK_START, TODAY)
    e = engagement(user=personas.township_officer, unit=tree.liyu, start=WEEK_START, end=TODAY)
    used = rendered.used
    assert {f.key for f in used} >= {"party.orgs", "party.party_on_duty", "observation.active_home"}
    for figure in used:
        if figure.key in FIGURES:
            assert figure.value == report.value(figure.key), figure.key
        elif figure.key.startswith("party."):
            assert figure.value == e.own.values[figure.key.removeprefix("party.")], figure.key
    # and the opening sentence quotes the hand-counted front
    opening = rendered.paragraphs[1].plain
    assert "3个基层党组织、4名党员" in opening
    assert "累计工作26小时" in opening or "累计工作31小时" in opening


def test_the_author_edits_the_words_around_the_figures(personas, draft):
    # given
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    paragraphs = [dict(p) for p in draft.paragraphs]
    paragraphs[0]["text"] = "关键时刻，党组织就是主心骨。"
    paragraphs[1]["text"] = paragraphs[1]["text"].replace("奋勇争先", "冲锋在前")
    # when
    updated = services.briefing_update(
        actor=personas.township_officer,
        draft=draft,
        version=draft.version,
        figures=rendered.figures,
        paragraphs=paragraphs,
    )
    # then
    assert updated.version == 2
    assert "冲锋在前" in updated.paragraphs[1]["text"]
    assert placeholders(updated.paragraphs[1]["text"]) == placeholders(draft.paragraphs[1]["text"])


def test_refuses_an_edit_that_types_a_figure_in_place_of_its_placeholder(personas, draft):
    # given: the author replaces {party.orgs} by the number it shows
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    paragraphs = [dict(p) for p in draft.paragraphs]
    paragraphs[1]["text"] = paragraphs[1]["text"].replace("{party.orgs}", "3")
    # when / then
    with pytest.raises(ValidationError) as caught:
        services.briefing_update(
            actor=personas.township_officer,
            draft=draft,
            version=draft.version,
            figures=rendered.figures,
            paragraphs=paragraphs,
        )
    assert caught.value.message_dict == {
        "paragraphs.2": [
            "数字由系统根据实时数据生成，不能修改、删除或调换，只能修改数字前后的文字。"
        ]
    }


def test_a_figure_may_be_inserted_into_a_paragraph_but_not_moved(personas, draft):
    """The insert-figure control adds a placeholder to an existing paragraph: accepted. The
    paragraph's own figures stay where they were."""
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    paragraphs = [dict(p) for p in draft.paragraphs]
    before = placeholders(paragraphs[1]["text"])
    paragraphs[1]["text"] = (
        "截至{meta.end}，" + paragraphs[1]["text"] + "其中党员{party.party_members}名。"
    )
    # when
    updated = services.briefing_update(
        actor=personas.township_officer,
        draft=draft,
        version=draft.version,
        figures=rendered.figures,
        paragraphs=paragraphs,
    )
    # then
    assert placeholders(updated.paragraphs[1]["text"]) == [
        "meta.end",
        *before,
        "party.party_members",
    ]
    # but swapping two of the paragraph's figures is refused
    swapped = [dict(p) for p in updated.paragraphs]
    first, second = before[0], before[1]
    text = swapped[1]["text"]
    swapped[1]["text"] = (
        text.replace(f"{{{first}}}", "\0").replace(f"{{{second}}}", f"{{{first}}}")
    ).replace("\0", f"{{{second}}}")
    with pytest.raises(ValidationError) as caught:
        services.briefing_update(
            actor=personas.township_officer,
            draft=updated,
            version=updated.version,
            figures=rendered.figures,
            paragraphs=swapped,
        )
    assert "不能修改、删除或调换" in caught.value.message_dict["paragraphs.2"][0]


def test_refuses_a_typed_figure_in_a_new_paragraph_and_an_unknown_figure(personas, draft):
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    base = [dict(p) for p in draft.paragraphs]
    # a new paragraph that types the number of organisations (3) rather than its placeholder
    with pytest.raises(ValidationError) as typed:
        services.briefing_update(
            actor=personas.township_officer,
            draft=draft,
            version=draft.version,
            figures=rendered.figures,
            paragraphs=[*base, {"id": "", "kind": "text", "text": "全街道3个党组织全部出动。"}],
        )
    assert "“3”与本简报的一项数据相同" in typed.value.message_dict[f"paragraphs.{len(base) + 1}"][0]
    # a date is not a figure
    services.briefing_update(
        actor=personas.township_officer,
        draft=draft,
        version=draft.version,
        figures=rendered.figures,
        paragraphs=[
            *base,
            {"id": "", "kind": "text", "text": "1月3日起，{party.orgs}个党组织出动。"},
        ],
    )
    with pytest.raises(ValidationError) as unknown:
        services.briefing_update(
            actor=personas.township_officer,
            draft=draft,
            version=draft.version + 1,
            figures=rendered.figures,
            paragraphs=[*base, {"id": "", "kind": "text", "text": "{party.made_up}"}],
        )
    assert "未知的数据项：party.made_up。" in str(unknown.value)


def test_a_stale_edit_is_refused_with_the_current_copy(personas, draft):
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    services.briefing_update(
        actor=personas.township_officer,
        draft=draft,
        version=1,
        figures=rendered.figures,
        title="甲",
    )
    with pytest.raises(StaleVersion) as caught:
        services.briefing_update(
            actor=personas.township_officer,
            draft=draft,
            version=1,
            figures=rendered.figures,
            title="乙",
        )
    assert caught.value.current.title == "甲"


def test_a_new_draft_keeps_the_authors_structure(tree, personas, draft):
    # given: the author dropped the closing paragraph and changed a heading
    rendered = briefing_render(user=personas.township_officer, draft=draft)
    paragraphs = [dict(p) for p in draft.paragraphs][:-1]
    paragraphs[2]["text"] = "医疗战线"
    services.briefing_update(
        actor=personas.township_officer,
        draft=draft,
        version=1,
        figures=rendered.figures,
        paragraphs=paragraphs,
    )
    # when: a draft for the next day
    nxt = services.briefing_create(
        actor=personas.township_officer,
        unit=tree.liyu,
        start=TODAY + timedelta(days=1),
        end=TODAY + timedelta(days=1),
    )
    # then
    assert nxt.paragraphs == paragraphs
    assert nxt.copied_from_id == draft.pk
