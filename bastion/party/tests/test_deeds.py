"""Deeds: who may be the subject, nomination level by level, commendation, and publication:
a deed is public text only once its subject agreed; a briefing tells published deeds only."""

import pytest

from bastion.core.errors import ValidationError
from bastion.party import services
from bastion.party.selectors import briefing_render, deed_subject_for, subject_name
from bastion.party.tests.conftest import TODAY


@pytest.fixture
def deed(tree, personas, front):
    return services.deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.long,
        title="劝退两场婚宴",
        text="上户劝说。",
        happened_on=TODAY,
    )


def test_a_unit_records_deeds_of_its_own_members_only(tree, personas, front):
    with pytest.raises(ValidationError) as caught:
        services.deed_record(
            actor=personas.village_worker,
            unit=tree.yuetang,
            member=front.yan,  # 栗雨居委会's member
            title="t",
            text="x",
            happened_on=TODAY,
        )
    assert caught.value.message_dict == {"member": ["只能记录本单位及下级单位队员、队伍的事迹。"]}


def test_the_name_is_masked_outside_the_chain_until_the_subject_agrees(personas, deed):
    # given: not yet agreed
    assert subject_name(deed, in_chain=True) == "龙建忠"
    assert subject_name(deed, in_chain=False) == "龙**"
    assert deed_subject_for(user=personas.township_officer, deed=deed) == "龙建忠"
    assert deed_subject_for(user=personas.outsider, deed=deed) == "龙**"
    # when: consent is recorded, with who and how
    with pytest.raises(ValidationError):
        services.deed_consent(actor=personas.village_worker, deed=deed, note=" ")
    services.deed_consent(actor=personas.village_worker, deed=deed, note="本人签字")
    # then
    assert deed.consent_recorded_by == personas.village_worker and deed.consented_at
    assert deed_subject_for(user=personas.outsider, deed=deed) == "龙建忠"


def test_nomination_goes_up_level_by_level_to_the_city(tree, personas, deed):
    steps = [
        services.deed_nominate(actor=personas.village_worker, deed=deed).to_code,
        services.deed_nominate(actor=personas.township_officer, deed=deed).to_code,
        services.deed_nominate(actor=personas.county_officer, deed=deed).to_code,
    ]
    assert steps == [tree.liyu.code, tree.tianyuan.code, tree.city.code]
    with pytest.raises(ValidationError) as top:
        services.deed_nominate(actor=personas.commander, deed=deed)
    assert top.value.message_dict == {"status": ["已是最高一级，不能再向上推荐。"]}
    deed.refresh_from_db()
    services.deed_commend(actor=personas.commander, deed=deed, commendation="优秀共产党员")
    with pytest.raises(ValidationError):
        services.deed_nominate(actor=personas.commander, deed=deed)


def test_a_briefing_tells_published_deeds_only(tree, personas, front, deed):
    draft = services.briefing_create(
        actor=personas.township_officer, unit=tree.liyu, start=TODAY, end=TODAY
    )
    assert draft.deed_ids == []  # the default picks published deeds only
    figures = briefing_render(user=personas.township_officer, draft=draft).figures
    with pytest.raises(ValidationError) as caught:
        services.briefing_update(
            actor=personas.township_officer,
            draft=draft,
            version=1,
            figures=figures,
            deed_ids=[deed.pk],
        )
    assert caught.value.message_dict == {"deed_ids": ["本人尚未同意公开的事迹不能编入简报。"]}
    # once agreed, it is told with the name
    services.deed_consent(actor=personas.village_worker, deed=deed, note="本人签字")
    draft = services.briefing_update(
        actor=personas.township_officer, draft=draft, version=1, figures=figures, deed_ids=[deed.pk]
    )
    lines = briefing_render(user=personas.township_officer, draft=draft).deeds
    assert [line.text for line in lines] == ["月塘社区党总支书记龙建忠，上户劝说。"]
    # and when the subject withdraws, the briefing no longer tells it
    services.deed_consent(actor=personas.village_worker, deed=deed, note="", given=False)
    assert briefing_render(user=personas.township_officer, draft=draft).deeds == []


def test_backing_facts_must_be_the_subjects_and_in_reach(personas, front, deed):
    # the subject's own work log is linked once, however often it is sent
    own = front.long.work_logs.get()
    services.deed_fact_link(
        actor=personas.village_worker, deed=deed, kind="work_log", object_id=own.pk
    )
    services.deed_fact_link(
        actor=personas.village_worker, deed=deed, kind="work_log", object_id=own.pk
    )
    assert deed.facts.count() == 1
    # someone else's is refused, and one outside the jurisdiction is not found
    other = front.zhou.work_logs.get()
    with pytest.raises(ValidationError) as caught:
        services.deed_fact_link(
            actor=personas.village_worker, deed=deed, kind="work_log", object_id=other.pk
        )
    assert caught.value.message_dict == {"object_id": ["该记录不是本事迹人物的记录。"]}
    far = front.wei.work_logs.get()
    with pytest.raises(ValidationError) as hidden:
        services.deed_fact_link(
            actor=personas.village_worker, deed=deed, kind="work_log", object_id=far.pk
        )
    assert hidden.value.message_dict == {"object_id": ["未找到该记录，或不在本辖区。"]}
