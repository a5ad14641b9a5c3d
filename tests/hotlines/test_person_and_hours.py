"""Help that fits the person (issue 18): ages, open now on a pinned clock, the
can't-call preference, and Filipino texts. No wall clock: every time is pinned."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.hotlines import hours, routing
from bot.hotlines import need as needs
from bot.hotlines.registry import check, load

MANILA = ZoneInfo("Asia/Manila")
LONDON = ZoneInfo("Europe/London")
# 2026-12-08 is a Tuesday.
TUESDAY_2AM_MANILA = dt.datetime(2026, 12, 8, 2, 0, tzinfo=MANILA)
TUESDAY_NOON_MANILA = dt.datetime(2026, 12, 8, 12, 0, tzinfo=MANILA)
SUNDAY_11PM_LONDON = dt.datetime(2026, 12, 6, 23, 0, tzinfo=LONDON)
WEDNESDAY_10AM_LONDON = dt.datetime(2026, 12, 9, 10, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def registry(root):
    return load(root / "data/hotlines")


def ids(selection):
    return [s.id for s in selection.services]


# --- opening hours --------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "method", "now", "open_now"),
    [
        ("24/7", "phone", TUESDAY_2AM_MANILA, True),
        ("weekdays 08:00-17:00", "phone", TUESDAY_2AM_MANILA, False),  # a weekday night
        ("weekdays 08:00-17:00", "phone", TUESDAY_NOON_MANILA, True),
        ("weekdays 08:00-17:00", "phone", dt.datetime(2026, 12, 6, 12, 0, tzinfo=MANILA), False),  # Sunday
        ("every day 09:00-23:00", "phone", dt.datetime(2026, 12, 6, 22, 59, tzinfo=MANILA), True),
        # past midnight
        ("every day 20:00-02:00", "phone", dt.datetime(2026, 12, 9, 1, 30, tzinfo=MANILA), True),
        ("chat daily 09:00-13:00 and 15:00-19:00", "chat",
         dt.datetime(2026, 12, 8, 14, 0, tzinfo=MANILA), False),
        ("chat daily 09:00-13:00 and 15:00-19:00", "phone", TUESDAY_NOON_MANILA, None),  # no phone hours
        ("every day; professionals answer 20:00-24:00", "phone", TUESDAY_NOON_MANILA, None),  # unread
    ],
)
def test_open_now(text, method, now, open_now):
    assert hours.parse(text, "Asia/Manila").open_now(method, now) is open_now


def test_hours_in_the_countrys_time_zone():
    office = hours.parse("weekdays 08:00-17:00", "Asia/Manila")
    # 01:00 UTC on a Tuesday is 09:00 in Manila: open, whatever zone the clock reads in.
    assert office.open_now("phone", dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.timezone.utc))
    assert office.opens_at("phone", TUESDAY_2AM_MANILA) == dt.datetime(2026, 12, 8, 8, 0, tzinfo=MANILA)
    # Saturday night: next opening is Monday morning.
    saturday = dt.datetime(2026, 12, 12, 21, 0, tzinfo=MANILA)
    assert office.opens_at("phone", saturday) == dt.datetime(2026, 12, 14, 8, 0, tzinfo=MANILA)


def test_separate_hours_per_contact_method():
    nspcc = hours.parse("phone Mon-Fri 08:00-22:00, weekends 09:00-18:00; email and online form 24/7",
                        "Europe/London")
    assert nspcc.open_now("phone", SUNDAY_11PM_LONDON) is False
    assert nspcc.open_now("url", SUNDAY_11PM_LONDON) is True
    assert nspcc.open_now("chat", SUNDAY_11PM_LONDON) is None  # the source says nothing: unknown
    assert nspcc.opens_at("phone", SUNDAY_11PM_LONDON).hour == 8


def test_without_a_zone_only_24_7_is_known():
    assert hours.parse("24/7", None).open_now("phone", TUESDAY_2AM_MANILA) is True
    assert hours.parse("weekdays 08:00-17:00", None).open_now("phone", TUESDAY_2AM_MANILA) is None
    assert hours.parse(None, "Asia/Manila") is None


def test_every_hours_text_in_the_registry_is_read_or_flagged(registry):
    for service in registry.all_services():
        if service.hours:
            opening = service.opening
            assert opening.weekly or opening.unread, service.id
    assert registry.for_country("PH")[0].timezone == "Asia/Manila"


def test_describe():
    opening = hours.parse("phone Mon-Fri 08:00-22:00, weekends 09:00-18:00; online form 24/7", None)
    days = ("Lun", "Mar", "Miy", "Huw", "Biy", "Sab", "Lin")
    text = hours.describe(opening, days, {"phone": "tawag", "url": "online"})
    assert text == "tawag Lun\u2013Biy 8:00\u201322:00, Sab\u2013Lin 9:00\u201318:00; online 24/7"


# --- whose case it is -------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "audience", "whose", "age", "minor"),
    [
        ("my teenage son is being sextorted", "parent", "child", None, True),
        ("someone is sextorting my 15 yr old son", None, "child", 15, True),
        ("may nagbabanta sa anak kong 15", None, "child", 15, True),
        ("I'm 16 and someone has my pics", None, "self", 16, True),
        ("14 na ako", None, "self", 14, True),
        ("I'm 25 and my ex posted my pics", None, "self", 25, False),
        ("I'm over 18 and my ex is threatening me", None, "self", None, False),
        ("who can help", "teen", "self", None, True),
        ("who can help", None, "self", None, None),
        ("my students are sharing a video", "educator", "child", None, True),
    ],
)
def test_person(text, audience, whose, age, minor):
    who = routing.person(text, audience)
    assert (who.whose, who.age, who.minor) == (whose, age, minor)


def test_a_parent_in_the_philippines_about_a_teen_son_gets_take_it_down_not_stopncii(registry):
    who = routing.person("my teenage son is being sextorted, we're in the philippines", "parent")
    selection = routing.select(registry, "PH", "sextortion", "parent", who=who, now=TUESDAY_2AM_MANILA)
    assert "intl-stopncii" not in ids(selection)
    assert ids(selection)[0] == "intl-take-it-down"
    assert any("child-helpline" in s.kinds for s in selection.services)


def test_an_adult_about_themselves_gets_stopncii_not_take_it_down(registry):
    who = routing.person("I'm 25, my ex is threatening to post my nudes", None)
    selection = routing.select(registry, "PH", "sextortion", who=who, now=TUESDAY_2AM_MANILA)
    assert "intl-stopncii" in ids(selection)
    assert "intl-take-it-down" not in ids(selection)
    assert not any(s.max_age is not None and s.max_age < 25 for s in selection.services)


def test_when_the_age_is_unknown_adult_only_services_are_not_offered(registry):
    for audience in (None, "teen", "parent"):
        who = routing.person("someone is threatening to leak pics", audience)
        for country in ("PH", "US", "GB", "AR", None):
            selection = routing.select(registry, country, "sextortion", audience, who=who,
                                       now=TUESDAY_2AM_MANILA, show_all=True)
            assert not any(s.adults_only for s in selection.services), (audience, country)


def test_services_for_minors_come_first_for_a_teen(registry):
    who = routing.person("who can help", "teen")
    selection = routing.select(registry, "US", "sextortion", "teen", who=who, now=TUESDAY_2AM_MANILA)
    assert ids(selection)[0] == "us-take-it-down"


def test_an_age_outside_a_services_range_excludes_it(registry):
    adult = routing.Person(None, "self", 30)
    selection = routing.select(registry, "GB", "distress", who=adult, now=WEDNESDAY_10AM_LONDON,
                               show_all=True)
    assert "gb-childline" not in ids(selection)  # up to 19
    student = routing.Person("teen", "self", 19)
    assert "gb-childline" in ids(routing.select(registry, "GB", "distress", "teen", who=student,
                                                now=WEDNESDAY_10AM_LONDON))


@pytest.mark.parametrize("need", sorted(needs.NEEDS))
@pytest.mark.parametrize("country", ["PH", "US", "GB", "AU", "CA", "SG", "IN", "KE", "AR", None])
def test_a_minors_case_always_includes_a_child_helpline(registry, need, country):
    for who in (routing.Person("teen", "self", 15), routing.Person("parent", "child"),
                routing.Person("educator", "child", 12)):
        selection = routing.select(registry, country, need, who.audience, who=who, now=TUESDAY_2AM_MANILA)
        assert any("child-helpline" in s.kinds for s in selection.services), (who, country, need)
        assert all(who.fits(s) for s in selection.services)


# --- open now -------------------------------------------------------------------

def test_every_entry_says_whether_it_is_open_now(registry):
    selection = routing.select(registry, "PH", "crisis", "teen", now=TUESDAY_2AM_MANILA)
    assert set(selection.statuses) == set(ids(selection))
    by_id = selection.statuses
    assert by_id["ph-911"].open_now is True and by_id["ph-911"].always
    for service in selection.services:
        if service.hours is None:
            assert by_id[service.id].open_now is None  # unknown stays unknown


def test_a_crisis_on_a_sunday_night_puts_the_closed_line_last(registry):
    who = routing.Person("parent", "child")
    selection = routing.select(registry, "GB", "abuse", "parent", who=who, now=SUNDAY_11PM_LONDON,
                               urgent=True, show_all=True)
    states = [selection.statuses[s.id].open_now for s in selection.services]
    assert False in states
    assert states.index(False) > max(i for i, v in enumerate(states) if v is not False)
    closed = selection.statuses["gb-nspcc-helpline"]
    assert closed.open_now is False
    assert closed.opens_at == dt.datetime(2026, 12, 7, 8, 0, tzinfo=LONDON)
    # The same request on a weekday morning: the helpline is open and keeps its place.
    day = routing.select(registry, "GB", "abuse", "parent", who=who, now=WEDNESDAY_10AM_LONDON,
                         urgent=True, show_all=True)
    assert day.statuses["gb-nspcc-helpline"].open_now is True


def test_open_services_lead_within_a_kind_on_a_weekday_night(tmp_path, root):
    # Two child helplines in Manila: one office hours, one 24/7; at 2 a.m. on a Tuesday the
    # 24/7 one leads a crisis reply, at noon the file order stands.
    target = tmp_path / "hotlines"
    shutil.copytree(root / "data/hotlines", target)
    path = target / "ph.yml"
    data = yaml.safe_load(path.read_text())
    office = dict(data["services"][1], id="ph-office-line", phone="+63281234567",
                  hours="weekdays 08:00-17:00")
    office.pop("other_phones", None)
    data["services"].insert(1, office)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    registry = load(target)
    night = routing.select(registry, "PH", "distress", "teen", now=TUESDAY_2AM_MANILA, urgent=True)
    assert night.statuses["ph-office-line"].open_now is False
    assert ids(night).index("ph-makabata") < ids(night).index("ph-office-line")
    assert night.statuses["ph-office-line"].opens_at == dt.datetime(2026, 12, 8, 8, 0, tzinfo=MANILA)
    noon = routing.select(registry, "PH", "distress", "teen", now=TUESDAY_NOON_MANILA, urgent=True)
    assert ids(noon).index("ph-office-line") < ids(noon).index("ph-makabata")
    sunday = routing.select(registry, "PH", "distress", "teen", urgent=True,
                            now=dt.datetime(2026, 12, 6, 12, 0, tzinfo=MANILA))
    assert sunday.statuses["ph-office-line"].opens_at == dt.datetime(2026, 12, 7, 8, 0, tzinfo=MANILA)


# --- can't call -----------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["I can't call, they'll hear me", "di ako makatawag", "hindi po ako makatawag, baka marinig nila",
     "i cant talk out loud rn"],
)
def test_cannot_call_cues(text):
    assert needs.cannot_call(text)


@pytest.mark.parametrize(
    "text", ["who do i call", "i cant talk to my parents about stuff", "tawagan ko ba sila"]
)
def test_not_cannot_call(text):
    assert not needs.cannot_call(text)


@pytest.mark.parametrize("country", ["PH", "GB", "US", "AU"])
def test_someone_who_cannot_call_gets_chat_sms_and_forms_first(registry, country):
    selection = routing.select(registry, country, "distress", "teen", now=TUESDAY_2AM_MANILA,
                               cannot_call=True)
    first = selection.services[0]
    assert first.chat or first.sms or first.url, (country, first.id)
    texts = [bool(s.chat or s.sms or s.url) for s in selection.services]
    assert texts == sorted(texts, reverse=True)


# --- Filipino -------------------------------------------------------------------

def test_every_entry_has_a_filipino_description(registry):
    for service in registry.all_services():
        assert registry.what_happens(service, "fil") not in ("", service.what_happens), service.id
    assert registry.fil_countries["PH"] == "Pilipinas" and registry.fil_countries["US"] == "Estados Unidos"
    for code in registry.services:
        assert code == "international" or not registry.fil_countries[code].startswith("the ")


def plant(hotlines: Path, name: str, change) -> list[str]:
    path = hotlines / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return check(hotlines)[1]


@pytest.fixture
def hotlines_copy(tmp_path: Path, root: Path) -> Path:
    target = tmp_path / "hotlines"
    shutil.copytree(root / "data/hotlines", target)
    return target


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("ph.yml", lambda d: d["services"][1].pop("what_happens_fil"), "needs what_happens_fil"),
        ("international.yml", lambda d: d["services"][0].pop("what_happens_fil"), "needs what_happens_fil"),
        ("ph.yml", lambda d: d["services"][1].update(what_happens_fil=d["services"][1]["what_happens"]),
         "does not read as Filipino"),
        ("fil.yml", lambda d: d["kinds"].update({"child-helpline": "A helpline for young people."}),
         "would show an English description"),
        ("fil.yml", lambda d: d["kinds"].pop("csam-report"), "needs a Filipino description of csam-report"),
        ("fil.yml", lambda d: d["countries"].pop("PH"), "needs the Filipino name of PH"),
        ("ph.yml", lambda d: d["services"][1].update(ages={"min": 18, "max": 12}), "min is above max"),
        ("ph.yml", lambda d: d["services"][1].update(ages={"from": 3}), "ages must be"),
        ("ph.yml", lambda d: d["services"][1].update(timezone="Asia/Nowhere"), "not an IANA time zone"),
    ],
)
def test_filipino_and_age_faults_fail_the_check(hotlines_copy, name, change, expected):
    problems = plant(hotlines_copy, name, change)
    assert any(expected in p for p in problems), problems


def test_a_filipino_reply_never_shows_an_english_description(registry):
    from bot.hotlines.registry import filipino_reply_problems

    assert filipino_reply_problems(registry) == []
    english = replace(registry, fil_kinds={**registry.fil_kinds, "child-helpline": "Children can call."})
    assert any("English description" in p for p in filipino_reply_problems(english))
