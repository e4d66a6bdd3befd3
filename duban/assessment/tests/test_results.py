"""公布结果: the office enters the assessor's totals and ranks per period; everyone reads the ranking."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from duban.assessment import results
from duban.assessment.models import PublishedIndicatorScore, PublishedResult
from duban.assessment.results import IndicatorScoreInput, ResultInput, save_results
from duban.assessment.tests.factories import make_indicator, make_period, make_scheme
from duban.core.browser_testing import screenshot
from duban.core.exceptions import BusinessRuleError
from duban.core.testing import check_matrix, count_queries, db_fingerprint
from duban.core.tests.browser.test_login_flow import sign_in
from duban.org.tests.factories import make_unit

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READERS = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 302}
OFFICE_ONLY = {
    **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "staff_c"), 403),
    "office": 200,
    **ADMINS,
    "anonymous": 302,
}


@dataclass
class World:
    scheme: object
    q1: object
    h1: object
    third: object  # a third assessed unit
    a1: object
    a2: object
    category: object


@pytest.fixture
def world(org) -> World:
    scheme = make_scheme(org)
    third = make_unit("某县自然资源局", "ZRJ", parent=org.assessor)
    scheme.units.set([org.bureau, org.peer, third])
    q1, h1 = make_period(scheme, "Q1"), make_period(scheme, "H1")
    category = make_indicator(scheme, "1", "重点工作", 15, method="", target=None)
    a1 = make_indicator(scheme, "1.1", "建筑业产值", 10, parent=category, sort_order=1)
    a2 = make_indicator(scheme, "1.2", "安全生产", 5, parent=category, sort_order=2)
    return World(scheme, q1, h1, third, a1, a2, category)


def url(world, period=None) -> str:
    return f"/assessment/schemes/{world.scheme.pk}/results/{(period or world.h1).code}/"


def form_data(client, address, units=None, scores=None) -> dict:
    """What the browser posts: every line as the page filled it in, with the typed changes.

    `units` maps a unit to (total, rank), `scores` an indicator to (score, rank); None = blank.
    """
    context = client.get(address).context
    data = {}
    for formset, typed, key, value in (
        (context["unit_rows"], units or {}, "unit", "total"),
        (context["score_rows"], scores or {}, "indicator", "score"),
    ):
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = management[name].value()
        typed_by_pk = {obj.pk: v for obj, v in typed.items()}
        for form in formset.forms:
            initial = form.initial
            amount, rank = typed_by_pk.get(initial[key], (initial.get(value), initial.get("rank")))
            data[form.add_prefix(key)] = initial[key]
            data[form.add_prefix("version")] = initial.get("version") or ""
            data[form.add_prefix(value)] = "" if amount is None else amount
            data[form.add_prefix("rank")] = "" if rank is None else rank
    return data


def post(client, world, units=None, scores=None, period=None, follow=False):
    address = url(world, period)
    return client.post(address, form_data(client, address, units, scores), follow=follow)


def result(world, unit, period=None) -> PublishedResult:
    return PublishedResult.objects.get(period=period or world.h1, unit=unit)


# --- who may ------------------------------------------------------------------------------------


def test_only_the_supervision_office_enters_results(org, client_for, world):
    assert check_matrix(client_for, "get", url(world), OFFICE_ONLY) == []
    refused = {k: v for k, v in OFFICE_ONLY.items() if v != 200}
    data = form_data(client_for("office"), url(world), units={org.bureau: ("90", "1")})
    assert check_matrix(client_for, "post", url(world), refused, data=data) == []
    assert not PublishedResult.objects.exists()


def test_everyone_in_the_unit_reads_the_ranking(org, client_for, world):
    assert (
        check_matrix(client_for, "get", f"/assessment/schemes/{world.scheme.pk}/ranking/", READERS)
        == []
    )


def test_an_unknown_period_or_an_unseen_scheme_is_not_found(org, client_for, world):
    office = client_for("office")
    assert office.get(f"/assessment/schemes/{world.scheme.pk}/results/Q9/").status_code == 404
    other = make_scheme(org, name="发改系统考核方案")
    other.units.set([org.peer])
    make_period(other, "H1")
    assert office.get(f"/assessment/schemes/{other.pk}/results/H1/").status_code == 404
    assert office.get(f"/assessment/schemes/{other.pk}/ranking/").status_code == 404


# --- saving -------------------------------------------------------------------------------------


def test_totals_ranks_and_our_indicator_scores_are_saved(org, client_for, world):
    response = post(
        client_for("office"),
        world,
        units={org.bureau: ("88.5", "2"), org.peer: ("91", "1")},
        scores={world.a1: ("8.5", "3"), world.a2: ("5", "")},
    )
    assert response.status_code == 302 and response["Location"] == url(world)
    ours = result(world, org.bureau)
    assert (ours.total, ours.rank, ours.scheme) == (Decimal("88.50"), 2, world.scheme)
    assert (result(world, org.peer).total, result(world, org.peer).rank) == (Decimal("91.00"), 1)
    # The third unit's line was blank: unknown, not saved.
    assert not PublishedResult.objects.filter(unit=world.third).exists()
    scores = {s.indicator: s for s in PublishedIndicatorScore.objects.filter(result=ours)}
    assert (scores[world.a1].score, scores[world.a1].rank) == (Decimal("8.50"), 3)
    assert (scores[world.a2].score, scores[world.a2].rank) == (Decimal("5.00"), None)


def test_saving_again_updates_changed_rows_only(org, client_for, world):
    office = client_for("office")
    post(office, world, units={org.bureau: ("88.5", "2"), org.peer: ("91", "1")})
    peer_version = result(world, org.peer).version
    post(office, world, units={org.bureau: ("92", "1"), org.peer: ("91", "2")})
    ours, peer = result(world, org.bureau), result(world, org.peer)
    assert (ours.total, ours.rank, ours.version) == (Decimal("92.00"), 1, 2)
    assert (peer.rank, peer.version) == (2, peer_version + 1)
    post(office, world)  # nothing typed: the page posts the saved values back
    assert result(world, org.bureau).version == 2


def test_a_cleared_line_keeps_the_saved_result_and_the_page_says_so(org, client_for, world):
    office = client_for("office")
    post(office, world, units={org.bureau: ("88.5", "2")})
    before = db_fingerprint()
    response = post(office, world, units={org.bureau: (None, None)}, follow=True)
    assert response.redirect_chain == [(url(world), 302)]
    assert db_fingerprint() == before
    kept = gettext(
        "%(n)d line(s) saved before were left blank and kept as they were: a published "
        "result is never deleted. Type the corrected values to change them."
    ) % {"n": 1}
    assert kept in [str(m) for m in response.context["messages"]]


def test_each_period_has_its_own_results(org, client_for, world):
    office = client_for("office")
    post(office, world, units={org.bureau: ("80", "3")}, period=world.q1)
    post(office, world, units={org.bureau: ("88", "2")})
    assert result(world, org.bureau, world.q1).total == Decimal("80.00")
    assert result(world, org.bureau).total == Decimal("88.00")


# --- validation at the cell ---------------------------------------------------------------------


def _errors(response, formset: str) -> dict:
    """Errors of each line, keyed by the unit or indicator it is for."""
    key = "unit" if formset == "unit_rows" else "indicator"
    return {form.initial[key]: dict(form.errors) for form in response.context[formset].forms}


def test_bad_cells_are_refused_at_the_cell_and_the_typed_values_are_kept(org, client_for, world):
    response = post(
        client_for("office"),
        world,
        units={org.bureau: ("-1", "4"), org.peer: ("", "1"), world.third: ("77.25", "0")},
        scores={world.a1: ("abc", "1")},
    )
    assert response.status_code == 400
    errors = _errors(response, "unit_rows")
    assert set(errors[org.bureau.pk]) == {"total", "rank"}  # negative; 4 of 3 units
    assert set(errors[org.peer.pk]) == {"total"}  # a rank needs its total
    assert set(errors[world.third.pk]) == {"rank"}  # ranks start at 1
    assert set(_errors(response, "score_rows")[world.a1.pk]) == {"score"}
    html = response.content.decode()
    assert 'value="77.25"' in html and 'value="abc"' in html
    assert "is-invalid" in html
    assert not PublishedResult.objects.exists()


def test_a_rank_given_twice_is_refused_at_both_cells(org, client_for, world):
    response = post(
        client_for("office"), world, units={org.bureau: ("90", "1"), org.peer: ("91", "1")}
    )
    assert response.status_code == 400
    errors = _errors(response, "unit_rows")
    assert "rank" in errors[org.bureau.pk] and "rank" in errors[org.peer.pk]
    assert not errors[world.third.pk]
    assert str(org.peer) in errors[org.bureau.pk]["rank"][0]
    assert not PublishedResult.objects.exists()


def test_a_duplicate_rank_shows_together_with_other_mistakes(org, client_for, world):
    response = post(
        client_for("office"),
        world,
        units={org.bureau: ("-1", ""), org.peer: ("91", "1"), world.third: ("9", "1")},
    )
    errors = _errors(response, "unit_rows")
    assert set(errors[org.bureau.pk]) == {"total"}
    assert set(errors[org.peer.pk]) == set(errors[world.third.pk]) == {"rank"}


def test_a_rank_kept_from_before_counts_as_taken(org, client_for, world):
    office = client_for("office")
    post(office, world, units={org.peer: ("91", "1")})
    response = post(office, world, units={org.peer: (None, None), org.bureau: ("90", "1")})
    assert response.status_code == 400
    assert str(org.peer) in _errors(response, "unit_rows")[org.bureau.pk]["rank"][0]


def test_indicator_scores_need_our_total(org, client_for, world):
    response = post(client_for("office"), world, scores={world.a1: ("8", "")})
    assert response.status_code == 400
    assert "total" in _errors(response, "unit_rows")[org.bureau.pk]
    assert not PublishedIndicatorScore.objects.exists()


def test_a_stale_page_is_refused_and_changes_nothing(org, client_for, world):
    office = client_for("office")
    post(office, world, units={org.bureau: ("88", "2")})
    stale = form_data(office, url(world), units={org.bureau: ("70", "3")})
    post(office, world, units={org.bureau: ("89", "2")})  # someone else saves first
    before = db_fingerprint()
    response = office.post(url(world), stale)
    assert response.status_code == 409
    assert db_fingerprint() == before
    assert result(world, org.bureau).total == Decimal("89.00")


def test_a_forged_list_of_units_is_refused(org, client_for, world):
    office = client_for("office")
    data = form_data(office, url(world), units={org.bureau: ("88", "2")})
    data["units-2-unit"] = org.assessor.pk
    response = office.post(url(world), data)
    assert response.status_code == 400
    assert not PublishedResult.objects.exists()


# --- the service keeps the rules for any caller -------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "scores"),
    [
        ([ResultInput(unit_id=-1, total=Decimal(1))], []),
        ([ResultInput(unit_id=0, total=Decimal(1), rank=4)], []),
        ([ResultInput(unit_id=0, total=Decimal(-1))], []),
        ([ResultInput(unit_id=0, total=None, rank=1)], []),
        ([ResultInput(0, Decimal(1), 1), ResultInput(1, Decimal(2), 1)], []),
        ([], [IndicatorScoreInput(indicator_id=-1, score=Decimal(1))]),
        ([], [IndicatorScoreInput(indicator_id=0, score=Decimal(1))]),  # no total of ours
    ],
)
def test_the_service_refuses_what_the_page_refuses(org, world, rows, scores):
    units = [org.bureau.pk, org.peer.pk]
    leaves = [world.a1.pk]

    def real(row):
        if isinstance(row, ResultInput):
            unit_id = units[row.unit_id] if row.unit_id >= 0 else org.assessor.pk
            return ResultInput(unit_id, row.total, row.rank, row.version)
        indicator_id = leaves[row.indicator_id] if row.indicator_id >= 0 else world.category.pk
        return IndicatorScoreInput(indicator_id, row.score, row.rank, row.version)

    with pytest.raises(BusinessRuleError):
        save_results(
            world.scheme,
            world.h1,
            [real(r) for r in rows],
            [real(s) for s in scores],
            org.users["office"],
        )
    assert not PublishedResult.objects.exists()


def test_the_service_refuses_a_period_of_another_scheme(org, world):
    other = make_scheme(org, name="另一方案")
    with pytest.raises(BusinessRuleError):
        save_results(other, world.h1, [], [], org.users["office"])


def test_effective_ranks_keep_what_a_blank_line_leaves(org, world):
    saved = PublishedResult.objects.create(
        scheme=world.scheme, period=world.h1, unit=org.peer, total=Decimal(90), rank=2
    )
    rows = [ResultInput(org.peer.pk, None), ResultInput(org.bureau.pk, Decimal(95), 1)]
    assert results.effective_ranks(rows, {org.peer.pk: saved}) == {org.peer.pk: 2, org.bureau.pk: 1}


# --- query budget -------------------------------------------------------------------------------


def _units(org, scheme, count):
    units = [make_unit(f"参评单位{n}", f"P{count}-{n}", parent=org.assessor) for n in range(count)]
    scheme.units.set([org.bureau, *units])
    for rank, unit in enumerate(units, start=2):
        PublishedResult.objects.create(
            scheme=scheme,
            period=scheme.periods.get(code="H1"),
            unit=unit,
            total=Decimal(90),
            rank=rank,
        )


def test_the_results_and_ranking_pages_cost_the_same_at_10_and_100_units(org, client_for, world):
    office = client_for("office")
    ranking = f"/assessment/schemes/{world.scheme.pk}/ranking/"
    office.get(url(world))  # warm the session and the scope
    _units(org, world.scheme, 10)
    small = count_queries(lambda: office.get(url(world)))
    small_ranking = count_queries(lambda: office.get(ranking))
    _units(org, world.scheme, 100)
    assert count_queries(lambda: office.get(url(world))) == small
    assert count_queries(lambda: office.get(ranking)) == small_ranking
    assert len(office.get(url(world)).context["unit_lines"]) == 101


# --- the ranking --------------------------------------------------------------------------------


def test_the_ranking_lists_units_by_rank_with_ours_highlighted_and_the_chart(
    org, client_for, world
):
    office = client_for("office")
    post(
        office,
        world,
        units={org.bureau: ("80", "3"), org.peer: ("85", "1"), world.third: ("82", "2")},
        period=world.q1,
        scores={world.a1: ("7", "2")},
    )
    post(office, world, units={org.bureau: ("90", "1"), org.peer: ("85", "")})
    response = client_for("staff_c").get(f"/assessment/schemes/{world.scheme.pk}/ranking/")
    assert response.status_code == 200
    q1, h1 = response.context["tables"]
    assert [r.unit for r in q1["rows"]] == [org.peer, world.third, org.bureau]
    assert [r.unit for r in h1["rows"]] == [org.bureau, org.peer]  # an unknown rank comes last
    assert [s.indicator for s in q1["scores"]] == [world.a1]
    chart = response.context["chart"]
    assert chart["ranks"] == [3, 1] and chart["units"] == 3
    html = response.content.decode()
    assert html.count('data-testid="own-row"') == 2
    assert (
        json.loads(html.split('id="rank-data" type="application/json">')[1].split("</script>")[0])
        == chart
    )
    assert "inverse: true" in html and "echarts.min.js" in html


def test_the_ranking_without_results_says_so(org, client_for, world):
    response = client_for("office").get(f"/assessment/schemes/{world.scheme.pk}/ranking/")
    assert response.context["tables"] == [] and not response.context["has_rank"]
    assert [p.code for p in response.context["missing"]] == ["Q1", "H1"]
    assert "echarts.min.js" not in response.content.decode()


# --- in the browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_office_enters_results_and_sees_the_rank_chart(org, world, page):
    PublishedResult.objects.create(
        scheme=world.scheme, period=world.q1, unit=org.bureau, total=Decimal(80), rank=3
    )
    sign_in(page, "office")
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}{url(world)}")
    own = page.get_by_test_id("own-row")
    own.locator("input[name$='-total']").fill("91.5")
    own.locator("input[name$='-rank']").fill("1")
    page.locator("input[name='scores-0-score']").fill("9")
    screenshot(page, "results-edit")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{page.base_url}{url(world)}")
    assert result(world, org.bureau).total == Decimal("91.50")
    page.goto(f"{page.base_url}/assessment/schemes/{world.scheme.pk}/ranking/")
    assert page.locator("#rank-chart svg").count() == 1  # the ECharts chart rendered
    assert page.get_by_test_id("own-row").count() == 2
    screenshot(page, "ranking")
    assert page.js_errors == []
