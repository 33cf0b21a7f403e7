"""The term in a browser: the week, "This week", "Due soon" and the assignments' status marked
again by the reader's date (not the build's), in the course's zone; and the phone layout."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from coursebook.present.browser import is_local, serve_folder
from term_fixtures import write_term_site

NY = ZoneInfo("America/New_York")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def term_url(tmp_path_factory):
    # Built on Wednesday of week 2; every test reads it on another day.
    site = write_term_site(tmp_path_factory.mktemp("term-browser") / "project")
    build = site.build(env={"COURSEBOOK_TODAY": "2027-01-20"})
    assert build.returncode == 0, build.log
    with serve_folder(build.site) as url:
        yield url


def open_at(browser, url: str, when: dt.datetime, *, timezone="America/New_York", **context):
    """A page whose clock reads `when` (Playwright's clock: Date, timers), before any script."""
    page = browser.new_context(timezone_id=timezone, **context).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The fixture site's repository button asks GitHub for its stars: not this test's concern.
    page.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.clock.install(time=when)
    page.goto(url)
    # Aborted off-site requests are logged as failed loads; every other console error counts.
    page.errors = [e for e in errors if "ERR_FAILED" not in e and "ERR_NAME_NOT_RESOLVED" not in e]
    return page


MARKED = """() => [...document.querySelectorAll('.cb-weeks > .cb-week')]
  .filter(w => w.classList.contains('cb-week--current')).map(w => w.id)"""


def test_the_reader_date_marks_the_week_not_the_build_date(browser, term_url):
    page = open_at(browser, f"{term_url}schedule/", dt.datetime(2027, 2, 17, 9, 0, tzinfo=NY))
    assert page.evaluate(MARKED) == ["week-6"]
    week = page.locator("#week-6")
    assert week.get_attribute("aria-current") == "date"
    assert page.locator("#week-2").get_attribute("aria-current") is None
    assert page.locator("#week-6 .cb-week__badge").is_visible()
    assert not page.locator("#week-2 .cb-week__badge").is_visible()
    past = page.evaluate("() => [...document.querySelectorAll('.cb-week--past')].map(w => w.id)")
    assert past == [f"week-{n}" for n in range(1, 6)]
    # Past weeks are quieter: by their text colour, not by opacity, which took their labels
    # under 4.5:1 (tests/test_a11y_review.py).
    colour = "w => getComputedStyle(w.querySelector('.cb-week__entries')).color"
    assert page.locator("#week-1").evaluate(colour) != page.locator("#week-6").evaluate(colour)
    assert page.errors == []
    page.context.close()


def test_the_week_is_the_course_zones_week_wherever_the_reader_is(browser, term_url):
    # Sunday 31 January, 20:00 in Philadelphia: already Monday (week 4) in Tokyo, still week 3
    # in the course's zone (and the build marked week 2).
    when = dt.datetime(2027, 1, 31, 20, 0, tzinfo=NY)
    page = open_at(browser, f"{term_url}schedule/", when, timezone="Asia/Tokyo")
    assert page.evaluate(MARKED) == ["week-3"]
    page.context.close()


def test_the_home_page_shows_the_readers_week_and_deadlines(browser, term_url):
    page = open_at(browser, term_url, dt.datetime(2027, 2, 17, 9, 0, tzinfo=NY))
    shown = page.locator(".cb-this-week section.cb-week:visible")
    assert shown.count() == 1
    assert shown.get_attribute("data-cb-start") == "2027-02-15"
    due = page.locator(".cb-due-soon li:visible")
    assert due.all_inner_texts() == ["Homework 3: due Fri 19 Feb, 17:00 EST · 10 points"]
    assert not page.locator(".cb-due-soon__none").is_visible()
    page.context.close()
    # After the term: no week, nothing due.
    page = open_at(browser, term_url, dt.datetime(2027, 5, 20, 9, 0, tzinfo=NY))
    assert page.locator(".cb-this-week section.cb-week:visible").count() == 0
    assert page.locator(".cb-this-week__none").is_visible()
    assert page.locator(".cb-due-soon__none").is_visible()
    page.context.close()


def test_assignment_status_follows_the_readers_clock(browser, term_url):
    # A minute before and after Homework 3's deadline.
    statuses = []
    for minute in (16 * 60 + 59, 17 * 60 + 1):
        when = dt.datetime(2027, 2, 19, minute // 60, minute % 60, tzinfo=NY)
        page = open_at(browser, f"{term_url}assignments/", when)
        statuses.append(page.locator("#hw3 [data-cb-status]").inner_text())
        assert page.locator("#hw4 [data-cb-status]").inner_text() == "Upcoming"
        assert page.locator("#hw1 [data-cb-status]").inner_text() == "Closed"
        page.context.close()
    assert statuses == ["Open", "Closed"]


@pytest.mark.parametrize("path", ["schedule/", "", "assignments/", "staff/"])
def test_the_term_on_a_phone_is_cards_without_sideways_scrolling(browser, term_url, path):
    page = open_at(
        browser, f"{term_url}{path}", dt.datetime(2027, 1, 20, 9, 0, tzinfo=NY), viewport=PHONE
    )
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{path}: the page scrolls sideways"
    if path in ("schedule/", ""):
        layout = page.evaluate(
            """() => {
              const week = document.querySelector('.cb-week:not([hidden])');
              const entry = week.querySelector('li.cb-entry');
              const box = week.getBoundingClientRect();
              return {border: getComputedStyle(week).borderTopStyle,
                      display: getComputedStyle(entry).display,
                      right: box.right, width: document.documentElement.clientWidth};
            }"""
        )
        assert layout["border"] == "solid"  # a card
        assert layout["display"] == "block"  # its entries stacked, not a grid row
        assert layout["right"] <= layout["width"]
    if path == "assignments/":
        cell = page.locator(".cb-assignments td[data-label]").first
        assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert page.errors == []
    page.context.close()
