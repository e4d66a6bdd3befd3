"""Deduction explanations (扣分说明): who reads and writes them, draft → approved → submitted, and
the refusals along the way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils.translation import gettext

from duban.accounts.roles import Role
from duban.assessment.choices import ExplanationStatus, ReportStatus
from duban.assessment.models import DeductionExplanation
from duban.assessment.tests.factories import (
    make_explanation,
    make_indicator,
    make_period,
    make_report,
    make_scheme,
)
from duban.core.exceptions import StaleEditError
from duban.core.testing import check_matrix, count_queries, db_fingerprint
from duban.org.tests import factories as org_factories

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READERS = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 302}


@dataclass
class World:
    scheme: object
    period: object
    ind_a: object  # led by section A, the leader is responsible
    ind_c: object  # led by section C, no responsible leader
    explanation: object  # a draft of the bureau on ind_a


@pytest.fixture
def world(org) -> World:
    scheme = make_scheme(org)
    period = make_period(scheme, "H1")
    ind_a = make_indicator(
        scheme, "A1", "城镇老旧小区改造", 10, lead_section=org.section_a,
        responsible_leader=org.person("leader"), unit_of_measure="%",
    )  # fmt: skip
    ind_c = make_indicator(scheme, "C1", "建筑业产值增速", 5, lead_section=org.section_c)
    return World(scheme, period, ind_a, ind_c, make_explanation(ind_a, period, org.bureau))


def url(explanation, action: str = "") -> str:
    base = f"/assessment/explanations/{explanation.pk}/"
    return f"{base}{action}/" if action else base


def form_data(world: World, **overrides) -> dict:
    data = {
        "indicator": world.ind_a.pk,
        "period": world.period.pk,
        "expected_deduction": "2.5",
        "cause": "两个小区居民意见不统一，改造方案未通过。",
        "measures": "逐户走访，召开居民议事会三次。",
        "request": "恳请考核办按实际完成情况酌情计分。",
    }
    data.update(overrides)
    return data


def last_message(response) -> str:
    """The message the last request added (earlier ones wait in the session until shown)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def stale_message() -> str:
    return str(StaleEditError.message)


def state(explanation) -> tuple:
    explanation.refresh_from_db()
    return explanation.status, explanation.version


# --- who sees what -----------------------------------------------------------------------------


def test_list_detail_and_word_are_open_to_everyone_in_the_unit(world, client_for):
    for address in (
        "/assessment/explanations/",
        "/assessment/explanations/?export=xlsx",
        url(world.explanation),
        url(world.explanation, "docx"),
    ):
        assert check_matrix(client_for, "get", address, READERS) == []


def test_another_units_explanation_is_not_found(org, world, client_for):
    scheme = make_scheme(org, name="发改系统考核方案")
    scheme.units.set([org.peer])
    indicator = make_indicator(scheme, "D1", "外单位专属指标", 5, lead_section=org.section_d)
    other = make_explanation(indicator, make_period(scheme, "H1"), org.peer)
    not_found = {**dict.fromkeys(BUSINESS, 404), **ADMINS}
    for address in (url(other), url(other, "docx")):
        assert check_matrix(client_for, "get", address, not_found) == []
    # The office may not edit at all: 403 before the row is looked for.
    assert check_matrix(client_for, "get", url(other, "edit"), {**not_found, "office": 403}) == []
    body = client_for("director").get("/assessment/explanations/").content.decode()
    assert "城镇老旧小区改造" in body and "外单位专属指标" not in body


def test_the_list_shows_the_units_explanations(world, client_for):
    body = client_for("staff_c").get("/assessment/explanations/").content.decode()
    assert "城镇老旧小区改造" in body


def test_the_add_page_is_for_the_sections_and_leaders_not_the_office(world, client_for):
    expected = {
        **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "staff_c"), 200),
        "office": 403,
        **ADMINS,
        "anonymous": 302,
    }
    assert check_matrix(client_for, "get", "/assessment/explanations/add/", expected) == []


def test_the_edit_page_is_for_the_indicators_lead_section(world, client_for):
    expected = {
        **dict.fromkeys(("director", "leader", "chief_a", "staff_a"), 200),
        "staff_c": 404,
        "office": 403,
        **ADMINS,
        "anonymous": 302,
    }
    assert check_matrix(client_for, "get", url(world.explanation, "edit"), expected) == []


def test_the_add_form_offers_only_indicators_the_user_reports_on(world, client_for):
    body = client_for("staff_a").get("/assessment/explanations/add/").content.decode()
    assert "城镇老旧小区改造" in body and "建筑业产值增速" not in body
    body = client_for("leader").get("/assessment/explanations/add/").content.decode()
    assert "城镇老旧小区改造" in body and "建筑业产值增速" not in body


# --- writing a draft ---------------------------------------------------------------------------


def test_staff_of_the_lead_section_writes_a_draft_for_their_unit(org, world, client_for):
    response = client_for("staff_a").post("/assessment/explanations/add/", form_data(world))
    created = DeductionExplanation.objects.exclude(pk=world.explanation.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url(created)
    assert (created.unit, created.status, created.expected_deduction) == (
        org.bureau, ExplanationStatus.DRAFT, Decimal("2.5"),
    )  # fmt: skip


def test_an_indicator_the_user_does_not_report_on_is_refused_at_the_field(world, client_for):
    before = db_fingerprint()
    response = client_for("staff_c").post("/assessment/explanations/add/", form_data(world))
    assert response.status_code == 400
    assert "indicator" in response.context["form"].errors
    assert db_fingerprint() == before


def test_a_period_of_another_scheme_is_refused_at_the_field_and_the_text_is_kept(
    org, world, client_for
):
    other_period = make_period(make_scheme(org, year=2025), "H1")
    before = db_fingerprint()
    response = client_for("staff_a").post(
        "/assessment/explanations/add/", form_data(world, period=other_period.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["period"] == [
        gettext("This period belongs to another scheme than the indicator.")
    ]
    assert "两个小区居民意见不统一，改造方案未通过。" in response.content.decode()
    assert db_fingerprint() == before


def test_a_negative_deduction_is_refused_at_the_field(world, client_for):
    response = client_for("staff_a").post(
        "/assessment/explanations/add/", form_data(world, expected_deduction="-1")
    )
    assert response.status_code == 400
    assert "expected_deduction" in response.context["form"].errors


def test_the_add_page_fills_in_the_points_at_risk_from_the_scoreboard(org, world, client_for):
    # 95% of the target at 1 point per missing percentage point: 5 of the 10 points are at risk.
    make_report(world.ind_a, world.period, org.bureau, actual=95, status=ReportStatus.CONFIRMED)
    response = client_for("staff_a").get(
        "/assessment/explanations/add/",
        {"indicator": world.ind_a.pk, "period": world.period.code},
    )
    form = response.context["form"]
    assert form.initial["indicator"] == world.ind_a.pk
    assert form.initial["period"] == world.period.pk
    assert form.initial["expected_deduction"] == Decimal("5.00")


def test_the_add_page_ignores_an_indicator_the_user_does_not_report_on(world, client_for):
    response = client_for("staff_c").get(
        "/assessment/explanations/add/", {"indicator": world.ind_a.pk, "period": world.period.pk}
    )
    assert response.context["form"].initial["indicator"] is None


def test_the_section_edits_its_draft(world, client_for):
    explanation = world.explanation
    response = client_for("chief_a").post(
        url(explanation, "edit"),
        form_data(world, cause="新的原因", version=explanation.version),
    )
    assert response.status_code == 302
    explanation.refresh_from_db()
    assert (explanation.cause, explanation.version) == ("新的原因", 2)


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world, client_for):
    explanation = world.explanation
    stale_version = explanation.version
    explanation.measures = "别人先改了措施"
    explanation.save()  # someone else saved in between
    response = client_for("staff_a").post(
        url(explanation, "edit"),
        form_data(world, cause="我输入的原因", version=stale_version),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert stale_message() in body
    assert "我输入的原因" in body
    explanation.refresh_from_db()
    assert (explanation.measures, explanation.version) == ("别人先改了措施", stale_version + 1)
    assert explanation.cause != "我输入的原因"


def test_refused_edits_change_nothing(world, client_for):
    data = form_data(world, cause="不该保存", version=world.explanation.version)
    expected = {"staff_c": 404, "office": 403, **ADMINS}
    assert check_matrix(client_for, "post", url(world.explanation, "edit"), data=data,
                        expected=expected) == []  # fmt: skip
    before = db_fingerprint()
    assert client_for("anonymous").post(url(world.explanation, "edit"), data).status_code == 302
    assert db_fingerprint() == before


def test_refused_creations_change_nothing(world, client_for):
    expected = {"office": 403, **ADMINS}
    assert (
        check_matrix(
            client_for, "post", "/assessment/explanations/add/", expected, form_data(world)
        )
        == []
    )


# --- draft → approved → submitted --------------------------------------------------------------


def test_the_leader_approves_and_the_office_marks_it_submitted(org, world, client_for):
    explanation = world.explanation
    response = client_for("leader").post(
        url(explanation, "approve"), {"version": explanation.version}
    )
    assert response.status_code == 302 and response["Location"] == url(explanation)
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.APPROVED
    assert explanation.approved_by == org.users["leader"]
    assert explanation.approved_at is not None
    assert last_message(response) == gettext("Approved. The supervision office can now submit it.")

    response = client_for("office").post(
        url(explanation, "submit"), {"version": explanation.version}
    )
    assert response.status_code == 302
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.SUBMITTED
    assert explanation.submitted_at is not None
    assert last_message(response) == gettext("Marked as submitted to the assessor.")


def test_the_director_approves_any_indicator_of_the_unit(org, world, client_for):
    explanation = make_explanation(world.ind_c, world.period, org.bureau)
    assert client_for("leader").post(url(explanation, "approve"), {"version": 1}).status_code == 404
    response = client_for("director").post(url(explanation, "approve"), {"version": 1})
    assert response.status_code == 302
    assert state(explanation) == (ExplanationStatus.APPROVED, 2)


def test_only_leaders_approve_and_a_refused_approval_changes_nothing(world, client_for):
    expected = {
        **dict.fromkeys(("chief_a", "staff_a", "staff_c", "office"), 403),
        **ADMINS,
    }
    data = {"version": world.explanation.version}
    assert check_matrix(client_for, "post", url(world.explanation, "approve"), expected, data) == []
    assert client_for("anonymous").post(url(world.explanation, "approve"), data).status_code == 302
    assert state(world.explanation) == (ExplanationStatus.DRAFT, 1)


def test_only_the_office_marks_submitted(world, client_for):
    world.explanation.status = ExplanationStatus.APPROVED
    world.explanation.save()
    expected = {
        **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "staff_c"), 403),
        **ADMINS,
    }
    data = {"version": world.explanation.version}
    assert check_matrix(client_for, "post", url(world.explanation, "submit"), expected, data) == []
    assert state(world.explanation) == (ExplanationStatus.APPROVED, 2)


def test_a_draft_cannot_be_submitted_before_the_leader_approves(world, client_for):
    before = db_fingerprint()
    response = client_for("office").post(url(world.explanation, "submit"), {"version": 1})
    assert response.status_code == 302
    assert last_message(response) == gettext(
        "The leader must approve the explanation before it is submitted."
    )
    assert db_fingerprint() == before


def test_approving_twice_is_refused_with_a_message(world, client_for):
    client = client_for("leader")
    client.post(url(world.explanation, "approve"), {"version": 1})
    before = db_fingerprint()
    response = client.post(url(world.explanation, "approve"), {"version": 2})
    assert last_message(response) == gettext("Only a draft explanation can be approved.")
    assert db_fingerprint() == before


def test_a_stale_approval_is_refused(world, client_for):
    world.explanation.cause = "又改了一次"
    world.explanation.save()  # version 2 now; the leader's page still shows version 1
    response = client_for("leader").post(url(world.explanation, "approve"), {"version": 1})
    assert last_message(response) == stale_message()
    assert state(world.explanation) == (ExplanationStatus.DRAFT, 2)


def test_an_approval_without_a_version_is_refused(world, client_for):
    response = client_for("leader").post(url(world.explanation, "approve"), {})
    assert last_message(response) == "表单缺少版本号，请刷新页面。"
    assert state(world.explanation) == (ExplanationStatus.DRAFT, 1)


def test_an_approved_explanation_can_no_longer_be_edited(world, client_for):
    client_for("leader").post(url(world.explanation, "approve"), {"version": 1})
    client = client_for("staff_a")
    response = client.get(url(world.explanation, "edit"))
    assert response.status_code == 302 and response["Location"] == url(world.explanation)
    assert last_message(response) == gettext("Only a draft explanation can be edited.")
    before = db_fingerprint()
    response = client.post(
        url(world.explanation, "edit"), form_data(world, cause="批准后再改", version=2)
    )
    assert response.status_code == 302
    assert db_fingerprint() == before


def test_the_detail_page_offers_each_user_their_next_step(world, client_for):
    def buttons(persona):
        body = client_for(persona).get(url(world.explanation)).content.decode()
        return {
            name
            for name, marker in (
                ("edit", url(world.explanation, "edit")),
                ("approve", 'data-testid="approve"'),
                ("submit", 'data-testid="submit"'),
            )
            if marker in body
        }

    assert buttons("staff_a") == {"edit"}
    assert buttons("leader") == {"edit", "approve"}
    assert buttons("staff_c") == set()
    assert buttons("office") == set()
    client_for("leader").post(url(world.explanation, "approve"), {"version": 1})
    assert buttons("office") == {"submit"}
    assert buttons("leader") == set()


def test_the_detail_page_shows_the_reported_actual_value(org, world, client_for):
    make_report(world.ind_a, world.period, org.bureau, actual="92.5")
    body = client_for("staff_c").get(url(world.explanation)).content.decode()
    assert "92.5%" in body


# --- query counts ------------------------------------------------------------------------------


def grow_explanations(org, world: World, n: int) -> None:
    approver = org_factories.make_user(
        f"approver{DeductionExplanation.objects.count()}", Role.LEADER
    )
    DeductionExplanation.objects.bulk_create(
        DeductionExplanation(
            indicator=world.ind_a if i % 2 else world.ind_c,
            period=world.period,
            unit=org.bureau,
            expected_deduction=Decimal(i % 7),
            cause="原因",
            measures="措施",
            request="请求",
            status=ExplanationStatus.APPROVED,
            approved_by=approver,
        )
        for i in range(n)
    )


@pytest.mark.parametrize(
    "address", ["/assessment/explanations/", "/assessment/explanations/?export=xlsx"]
)
def test_list_query_count_is_the_same_for_10_and_1000_rows(org, world, client_for, address):
    client = client_for("director")
    grow_explanations(org, world, 10)
    client.get(address)  # warm caches
    small = count_queries(lambda: client.get(address))
    grow_explanations(org, world, 990)
    large = count_queries(lambda: client.get(address))
    assert small == large, f"{address}: {small} queries at 10 rows, {large} at 1,000"
