"""Talk record pages (提醒谈话/约谈/诫勉谈话) as the people who use them: record, bad input, follow-up,
edit (stale refused), archive, the list's filters and its constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from duban.core.testing import count_queries
from duban.supervision.models import Talk
from duban.supervision.tests.factories import make_problem, make_talk, make_task

D = dt.date
NOW = dt.datetime(2026, 6, 30, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOW, tick=False):
        yield


def _post_data(org, **overrides) -> dict:
    data = {
        "kind": "admonition",
        "date": "2026-06-29",
        "person": org.person("staff_a").pk,
        "reason": "月度督办事项三次逾期未报进展",
        "commitments": "本周内补报进展",
        "follow_up_on": "2026-07-15",
    }
    data.update(overrides)
    return data


# --- recording -----------------------------------------------------------------------------------


def test_the_leader_records_a_talk_and_is_its_talker(org, client_for):
    task = make_task(org, "背街小巷改造")
    problem = make_problem(org, "资金拨付慢")
    response = client_for("leader").post(
        "/supervision/talks/add/",
        _post_data(org, tasks=[task.pk], problems=[problem.pk]),
    )
    talk = Talk.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/talks/{talk.pk}/"
    assert talk.talker == org.person("leader")
    assert talk.unit == org.bureau
    assert talk.kind == "admonition"
    assert list(talk.tasks.all()) == [task]
    assert list(talk.problems.all()) == [problem]
    assert talk.follow_up_on == D(2026, 7, 15)


def test_a_follow_up_date_before_the_talk_is_refused_in_chinese_and_the_text_is_kept(
    org, client_for
):
    response = client_for("leader").post(
        "/supervision/talks/add/", _post_data(org, follow_up_on="2026-06-01")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "跟进日期不能早于谈话日期（2026-06-29）" in html
    assert "月度督办事项三次逾期未报进展" in html  # what was typed is still there
    assert "本周内补报进展" in html
    assert 'value="2026-06-01"' in html
    assert Talk.objects.count() == 0


def test_a_talk_in_the_future_or_with_oneself_is_refused(org, client_for):
    client = client_for("leader")
    response = client.post("/supervision/talks/add/", _post_data(org, date="2026-07-02"))
    assert "谈话尚未进行，不能登记" in response.content.decode()
    response = client.post(
        "/supervision/talks/add/", _post_data(org, person=org.person("leader").pk)
    )
    assert "不能登记与本人的谈话" in response.content.decode()
    assert Talk.objects.count() == 0


def test_the_person_must_be_of_the_unit(org, client_for):
    response = client_for("leader").post(
        "/supervision/talks/add/", _post_data(org, person=org.peer_person.pk)
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert Talk.objects.count() == 0


def test_linked_tasks_are_only_those_the_recorder_sees(org, client_for):
    hidden = make_task(org, "股室C的事项", lead_section=org.section_c, owner=org.person("staff_c"))
    client = client_for("leader")  # leads A and B, not C
    page = client.get("/supervision/talks/add/")
    assert "股室C的事项" not in page.content.decode()
    response = client.post("/supervision/talks/add/", _post_data(org, tasks=[hidden.pk]))
    assert "tasks" in response.context["form"].errors
    assert Talk.objects.count() == 0


def test_only_the_director_records_a_talk_another_person_held(org, client_for):
    leader_page = client_for("leader").get("/supervision/talks/add/")
    assert "talker" not in leader_page.context["form"].fields
    # A talker posted anyway is ignored: the recorder is the talker.
    client_for("leader").post(
        "/supervision/talks/add/", _post_data(org, talker=org.person("director").pk)
    )
    assert Talk.objects.get().talker == org.person("leader")

    director_page = client_for("director").get("/supervision/talks/add/")
    assert director_page.context["form"]["talker"].value() == org.person("director").pk
    client_for("director").post(
        "/supervision/talks/add/",
        _post_data(org, talker=org.person("chief_a").pk, reason="代为登记"),
    )
    assert Talk.objects.get(reason="代为登记").talker == org.person("chief_a")


def test_the_kinds_offered_are_the_three_talks(org, client_for):
    form = client_for("leader").get("/supervision/talks/add/").context["form"]
    assert [value for value, _ in form.fields["kind"].choices if value] == [
        "reminder",
        "interview",
        "admonition",
    ]


# --- the page, follow-up, edit, archive ----------------------------------------------------------


def test_the_page_is_marked_confidential_and_never_cached(org, client_for):
    talk = make_talk(org)
    for url in (
        "/supervision/talks/",
        f"/supervision/talks/{talk.pk}/",
        f"/supervision/talks/{talk.pk}/edit/",
        "/supervision/talks/add/",
        "/supervision/talks/?export=xlsx",
    ):
        response = client_for("leader").get(url)
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url
        if "export" not in url:
            assert "内部资料·注意保密" in response.content.decode(), url


def test_the_talker_records_the_follow_up_result(org, client_for):
    talk = make_talk(org, follow_up_on=D(2026, 6, 20))
    page = client_for("leader").get(f"/supervision/talks/{talk.pk}/")
    assert page.context["due"] is True
    assert 'data-testid="follow-up-form"' in page.content.decode()
    response = client_for("leader").post(
        f"/supervision/talks/{talk.pk}/follow-up/",
        {"follow_up_result": "已按期补报，态度端正", "followed_up_on": "2026-06-29", "version": 1},
    )
    talk.refresh_from_db()
    assert response.status_code == 302
    assert talk.followed_up_on == D(2026, 6, 29)
    assert talk.follow_up_result == "已按期补报，态度端正"


def test_the_person_talked_to_reads_but_cannot_record_the_follow_up(org, client_for):
    talk = make_talk(org, follow_up_on=D(2026, 6, 20))
    page = client_for("staff_a").get(f"/supervision/talks/{talk.pk}/")
    assert page.status_code == 200
    assert page.context["follow_up_form"] is None
    assert 'data-testid="edit"' not in page.content.decode()
    response = client_for("staff_a").post(
        f"/supervision/talks/{talk.pk}/follow-up/",
        {"follow_up_result": "自己写的", "followed_up_on": "2026-06-29", "version": 1},
    )
    assert response.status_code == 403
    talk.refresh_from_db()
    assert talk.followed_up_on is None


def test_a_follow_up_before_the_talk_is_refused_and_kept(org, client_for):
    talk = make_talk(org)
    response = client_for("leader").post(
        f"/supervision/talks/{talk.pk}/follow-up/",
        {"follow_up_result": "已整改", "followed_up_on": "2026-05-01", "version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "跟进日期不能早于谈话日期（2026-05-20）" in html
    assert "已整改" in html
    talk.refresh_from_db()
    assert talk.followed_up_on is None


def test_a_stale_edit_is_refused_and_the_typed_text_kept(org, client_for):
    talk = make_talk(org)
    form_version = talk.version
    # Someone else saves the record after the editor opened it.
    talk.commitments = "另一人修改"
    talk.save()
    response = client_for("leader").post(
        f"/supervision/talks/{talk.pk}/edit/",
        _post_data(org, date="2026-05-20", reason="我的修改", version=form_version),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已被他人修改" in html
    assert "我的修改" in html
    talk.refresh_from_db()
    assert talk.reason == "督办事项多次逾期"
    assert talk.commitments == "另一人修改"


def test_the_director_edits_and_the_edit_is_saved(org, client_for):
    talk = make_talk(org)
    response = client_for("director").post(
        f"/supervision/talks/{talk.pk}/edit/",
        _post_data(
            org,
            date="2026-05-20",
            talker=org.person("leader").pk,
            reason="补充事由",
            version=talk.version,
        ),
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.reason == "补充事由"
    assert talk.talker == org.person("leader")


def test_archive_needs_a_reason_and_hides_the_record_from_the_list(org, client_for):
    talk = make_talk(org, reason="需归档的谈话")
    client = client_for("leader")
    client.post(f"/supervision/talks/{talk.pk}/archive/", {"reason": "", "version": talk.version})
    talk.refresh_from_db()
    assert talk.archived_at is None
    client.post(
        f"/supervision/talks/{talk.pk}/archive/", {"reason": "重复登记", "version": talk.version}
    )
    talk.refresh_from_db()
    assert talk.archived_at is not None and talk.archive_reason == "重复登记"
    assert Talk.objects.filter(pk=talk.pk).exists()  # never deleted
    assert "需归档的谈话" not in client.get("/supervision/talks/").content.decode()
    assert "需归档的谈话" in client.get("/supervision/talks/?archived=on").content.decode()
    assert client.get(f"/supervision/talks/{talk.pk}/").status_code == 200
    assert client.get(f"/supervision/talks/{talk.pk}/edit/").status_code == 404


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_by_kind_person_dates_and_follow_up(org, client_for):
    make_talk(org, "staff_a", reason="甲提醒", kind="reminder", date=D(2026, 5, 2))
    make_talk(
        org,
        "chief_a",
        reason="乙约谈",
        kind="interview",
        date=D(2026, 6, 2),
        follow_up_on=D(2026, 6, 20),
    )
    make_talk(
        org,
        "staff_c",
        reason="丙诫勉",
        kind="admonition",
        date=D(2026, 6, 10),
        follow_up_on=D(2026, 7, 20),
    )
    client = client_for("leader")

    def rows(query: str) -> set[str]:
        table = client.get(f"/supervision/talks/?{query}").context["table"]
        return {row.record.reason for row in table.page.object_list}

    assert rows("") == {"甲提醒", "乙约谈", "丙诫勉"}
    assert rows("kind=interview") == {"乙约谈"}
    assert rows(f"person={org.person('staff_c').pk}") == {"丙诫勉"}
    assert rows("date_from=2026-06-01&date_to=2026-06-05") == {"乙约谈"}
    assert rows("follow_up=due") == {"乙约谈"}
    assert rows("follow_up=pending") == {"乙约谈", "丙诫勉"}
    assert rows("follow_up=none") == {"甲提醒"}
    assert rows("q=诫勉") == {"丙诫勉"}


def test_the_person_filter_offers_only_people_of_visible_talks(org, client_for):
    make_talk(org, "staff_a", talker="leader")
    make_talk(org, "staff_c", talker="director")
    choices = client_for("leader").get("/supervision/talks/").context["filter"].form
    offered = {person.pk for person in choices.fields["person"].queryset}
    assert offered == {org.person("staff_a").pk}


def _grow(org, n: int) -> None:
    Talk.objects.bulk_create(
        Talk(
            unit=org.bureau,
            person=org.person("staff_a" if i % 2 else "chief_a"),
            talker=org.person("leader"),
            date=D(2026, 5, 1) + dt.timedelta(days=i % 50),
            kind="reminder",
            reason=f"事由{i}",
            follow_up_on=D(2026, 7, 1),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("persona", ["director", "leader", "staff_a", "auditor"])
def test_the_list_costs_the_same_queries_for_10_and_100_talks(org, client_for, persona):
    client = client_for(persona)
    _grow(org, 10)
    client.get("/supervision/talks/")
    small = count_queries(lambda: client.get("/supervision/talks/"))
    _grow(org, 90)
    large = count_queries(lambda: client.get("/supervision/talks/"))
    assert small == large, f"{small} queries at 10 talks, {large} at 100"
    export_small = count_queries(lambda: client.get("/supervision/talks/?export=xlsx"))
    _grow(org, 100)
    export_large = count_queries(lambda: client.get("/supervision/talks/?export=xlsx"))
    assert export_small == export_large


def test_the_detail_page_costs_the_same_queries_with_more_links(org, client_for):
    talk = make_talk(org)
    client = client_for("leader")
    talk.tasks.add(make_task(org, "事项1"))
    client.get(f"/supervision/talks/{talk.pk}/")
    small = count_queries(lambda: client.get(f"/supervision/talks/{talk.pk}/"))
    talk.tasks.add(*(make_task(org, f"事项{i}") for i in range(2, 12)))
    talk.problems.add(*(make_problem(org, f"问题{i}") for i in range(5)))
    large = count_queries(lambda: client.get(f"/supervision/talks/{talk.pk}/"))
    assert small == large
