"""The scoreboard service: exact scores, projections, risk, evidence, lagging, the way up the ranking."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from duban.assessment import scoreboard
from duban.assessment.models import PublishedIndicatorScore, PublishedResult, RequiredMaterial
from duban.assessment.tests.factories import make_indicator, make_period, make_report, make_scheme
from duban.core.testing import count_queries
from duban.org.tests.factories import make_unit


@pytest.fixture
def scheme(org):
    scheme = make_scheme(org)
    make_period(scheme, "Q1")
    make_period(scheme, "H1")
    return scheme


def leaf(scheme, code, points=10, **kw):
    return make_indicator(scheme, code, f"指标{code}", points, **kw)


def test_scores_project_and_add_up_by_category(org, scheme):
    h1 = scheme.periods.get(code="H1")
    category = make_indicator(scheme, "A", "业务工作", 20, method="", target=None)
    rate = leaf(scheme, "A1", parent=category, value_kind="point", target=100)
    money = leaf(scheme, "A2", parent=category, value_kind="cumulative", target=100)
    make_report(rate, h1, org.bureau, actual="97.5")
    make_report(money, h1, org.bureau, actual="49.59")  # half a year's pace of a 100 target
    board = scoreboard.build(scheme, h1, org.bureau.pk)
    rows = {r.indicator.code: r for r in board.rows}
    assert rows["A1"].score == D("7.50") and rows["A1"].projected == D("7.50")
    assert (
        rows["A1"].explanation
        == "完成率97.5%，低于目标2.5个百分点，每少1个百分点扣1分，扣2.5分，得7.5分"
    )
    assert rows["A2"].score == D("0.00")  # 49.59% of the year's target so far
    assert rows["A2"].projected == D("10.00")  # 49.59 ÷ 时间进度 49.59% = 100
    assert rows["A"].score == D("7.50") and rows["A"].projected == D("17.50")
    assert board.total_projected == D("17.50")
    assert rows["A1"].at_risk == D("2.50") and rows["A1"].recoverable == D("2.50")


def test_drafts_do_not_count_and_unreported_are_listed(org, scheme):
    h1 = scheme.periods.get(code="H1")
    draft = leaf(scheme, "A1")
    missing = leaf(scheme, "A2")
    make_report(draft, h1, org.bureau, actual="100", status="draft")
    board = scoreboard.build(scheme, h1, org.bureau.pk)
    assert {r.indicator for r in board.unreported} == {draft, missing}
    assert board.total_now == D("0")


def test_events_already_incurred_are_at_risk_but_not_recoverable(org, scheme):
    h1 = scheme.periods.get(code="H1")
    accidents = leaf(
        scheme, "B1", points=4, method="deduct_per_event", params={"per_event": "2"}, target=None
    )
    make_report(accidents, h1, org.bureau, extras={"events": 1})
    row = scoreboard.build(scheme, h1, org.bureau.pk).rows[0]
    assert (row.score, row.at_risk, row.recoverable) == (D("2.00"), D("2.00"), D("0"))


def test_a_scheme_veto_fails_the_grade_whatever_the_points(org, scheme):
    h1 = scheme.periods.get(code="H1")
    good = leaf(scheme, "A1", points=100)
    veto = leaf(scheme, "F1", points=0, method="veto", params={"scope": "scheme"}, target=None)
    make_report(good, h1, org.bureau, actual="100")
    make_report(veto, h1, org.bureau, extras={"triggered": True})
    board = scoreboard.build(scheme, h1, org.bureau.pk)
    assert board.total_now == D("100.00") and board.vetoed and board.grade_now == "不合格"


def test_a_category_veto_zeroes_only_its_category(org, scheme):
    h1 = scheme.periods.get(code="H1")
    safety = make_indicator(scheme, "B", "安全生产", 10, method="", target=None)
    rate = leaf(scheme, "B1", parent=safety)
    veto = leaf(
        scheme,
        "B2",
        points=0,
        parent=safety,
        method="veto",
        params={"scope": "category"},
        target=None,
    )
    other = leaf(scheme, "C1")
    for indicator, kwargs in (
        (rate, {"actual": "100"}),
        (other, {"actual": "100"}),
        (veto, {"extras": {"triggered": True}}),
    ):
        make_report(indicator, h1, org.bureau, **kwargs)
    board = scoreboard.build(scheme, h1, org.bureau.pk)
    rows = {r.indicator.code: r for r in board.rows}
    assert rows["B"].score == D("0") and rows["C1"].score == D("10.00") and not board.vetoed


def test_the_page_says_where_points_do_not_add_up(org, scheme):
    category = make_indicator(scheme, "A", "业务工作", 20, method="", target=None)
    leaf(scheme, "A1", points=8, parent=category)
    leaf(scheme, "A2", points=10, parent=category)
    board = scoreboard.build(scheme, scheme.periods.get(code="H1"), org.bureau.pk)
    assert board.rows[0].points_mismatch == D("-2")


def test_evidence_completeness_counts_materials_with_a_document(org, scheme):
    from duban.evidence.models import Blob, Document

    indicator = leaf(scheme, "A1")
    present = RequiredMaterial.objects.create(indicator=indicator, name="台账")
    RequiredMaterial.objects.create(indicator=indicator, name="照片")
    blob = Blob.objects.create(sha256="a" * 64, size=1, mime="application/pdf", kind="pdf")
    document = Document.objects.create(
        title="台账", unit=org.bureau, created_by=org.users["staff_a"]
    )
    document.versions.create(
        number=1, blob=blob, original_name="a.pdf", uploaded_by=org.users["staff_a"]
    )
    present.documents.add(document)
    row = scoreboard.build(scheme, scheme.periods.get(code="H1"), org.bureau.pk).rows[0]
    assert (row.materials_present, row.materials_total, row.missing_materials) == (1, 2, ["照片"])


def test_lagging_by_projection_and_by_the_assessors_rank(org, scheme):
    h1 = scheme.periods.get(code="H1")
    low = leaf(scheme, "A1")
    ranked = leaf(scheme, "A2")
    make_report(low, h1, org.bureau, actual="85")  # projected 0 of 10 → below 90 %
    make_report(ranked, h1, org.bureau, actual="100")
    peers = [make_unit(f"同级{i}", f"P{i}", parent=org.assessor) for i in range(8)]
    scheme.units.add(*peers)
    result = PublishedResult.objects.create(
        scheme=scheme, period=h1, unit=org.bureau, total=D("80"), rank=8
    )
    PublishedIndicatorScore.objects.create(result=result, indicator=ranked, score=D("9"), rank=9)
    rows = {r.indicator.code: r for r in scoreboard.build(scheme, h1, org.bureau.pk).rows}
    assert rows["A1"].lagging and rows["A2"].lagging
    assert "9" in rows["A2"].lagging_reasons[0]


def test_the_shortest_list_of_indicators_that_closes_the_gap(org, scheme):
    h1 = scheme.periods.get(code="H1")
    a = leaf(scheme, "A1")  # 98 → 8 points, 2 recoverable
    b = leaf(scheme, "A2")  # 95 → 5 points, 5 recoverable
    c = leaf(scheme, "A3")  # 99 → 9 points, 1 recoverable
    for indicator, actual in ((a, "98"), (b, "95"), (c, "99")):
        make_report(indicator, h1, org.bureau, actual=actual)
    above = make_unit("上一名", "ABOVE", parent=org.assessor)
    scheme.units.add(above)
    PublishedResult.objects.create(scheme=scheme, period=h1, unit=above, total=D("26.5"), rank=1)
    PublishedResult.objects.create(scheme=scheme, period=h1, unit=org.bureau, total=D("22"), rank=2)
    rank = scoreboard.build(scheme, h1, org.bureau.pk).rank
    assert (rank.rank, rank.gap, rank.next_unit) == (2, D("4.5"), "上一名")
    assert [r.indicator.code for r in rank.plan] == ["A2"]  # 5 > 4.5: one indicator is enough


@pytest.mark.parametrize("n", [40])
def test_scoreboard_queries_do_not_grow_with_the_scheme(org, scheme, n):
    h1 = scheme.periods.get(code="H1")

    def grow(count):
        start = scheme.indicators.count()
        for i in range(count):
            indicator = leaf(scheme, f"X{start + i}", lead_section=org.section_a)
            RequiredMaterial.objects.create(indicator=indicator, name="资料")
            make_report(indicator, h1, org.bureau, actual="96")

    grow(n)
    small = count_queries(lambda: scoreboard.build(scheme, h1, org.bureau.pk))
    grow(10 * n - n)
    large = count_queries(lambda: scoreboard.build(scheme, h1, org.bureau.pk))
    assert small == large


def test_another_units_evidence_does_not_count_for_us(org, scheme):
    from duban.evidence.models import Blob, Document

    indicator = leaf(scheme, "A1")
    material = RequiredMaterial.objects.create(indicator=indicator, name="台账")
    blob = Blob.objects.create(sha256="b" * 64, size=1, mime="application/pdf", kind="pdf")
    theirs = Document.objects.create(
        title="他们的台账", unit=org.peer, created_by=org.users["staff_a"]
    )
    theirs.versions.create(
        number=1, blob=blob, original_name="a.pdf", uploaded_by=org.users["staff_a"]
    )
    material.documents.add(theirs)
    row = scoreboard.build(scheme, scheme.periods.get(code="H1"), org.bureau.pk).rows[0]
    assert (row.materials_present, row.missing_materials) == (0, ["台账"])


def test_unreported_points_are_at_risk_and_recoverable(org, scheme):
    leaf(scheme, "A1", points=6)
    board = scoreboard.build(scheme, scheme.periods.get(code="H1"), org.bureau.pk)
    assert (board.at_risk, board.recoverable) == (D("6"), D("6"))
