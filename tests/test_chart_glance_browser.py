"""Session 5 in chromium: a five-contender race with prices (the oracle among them) at 1024 x 768,
where no button's text is cut (Run, Stop, the Export tab's downloads, What-if's Run sweep, the
Net cost tab's HTML), no What-if parameter choice is cut (the one shown nor any option of its
list, at 1024 and 1366), and the Net cost tab's bill table fits the page, then the same tab at
1366 x 768; then the Summary tab of the same race (its oracle named by its policy, as the editor
names a new one, and a contender with the 60 characters a name may have): Run again keeps the
contenders box, and every table fits, every name whole, at 1366 and 1024 (the checks of
``tests/test_summary_tab.py``'s harness page, here in the app); last, a negative price typed in
the Costs panel is refused with a message. One page and one race for all of it (a race and a
page load cost the suite more than the checks).
Screenshots of the Net cost tab and the Summary tab at both widths go to
``artifacts/screenshots/`` (``browser_fixtures.ARTIFACTS``, git-ignored). The figures themselves
are checked in ``tests/test_chart_glance.py``."""

from __future__ import annotations

import urllib.parse

import pytest
from test_summary_tab import (
    ORACLE_NAME,
    RECORD_TEXT_JS,
    SIXTY,
    names_drawn_whole,
    redrawn_texts,
)

from browser_fixtures import wait_idle

# Every visible button whose label is cut: its text box is narrower than its text (Streamlit
# cuts a button's label with an ellipsis inside its stMarkdownContainer). Icon-only buttons have
# no text and are skipped.
CUT_BUTTONS_JS = """() => [...document.querySelectorAll('button [data-testid=stMarkdownContainer]')]
  .filter(t => t.offsetParent && t.innerText.trim() && t.scrollWidth > t.clientWidth + 1)
  .map(t => `${t.innerText.trim()} (${t.clientWidth} of ${t.scrollWidth} px)`)"""
OVERFLOW_JS = """el => { const s = el.querySelector('.dvn-scroller');
                         return [s.scrollWidth, s.clientWidth]; }"""
# Every text inside a select box (the choice shown) or an open select's options that is
# narrower than its text: the browser cuts it with an ellipsis. Returns "text (box of text px)".
CUT_TEXT_JS = """(root) => [...root.querySelectorAll('*')]
  .filter(t => t.offsetParent && t.scrollWidth > t.clientWidth + 1
               && [...t.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(t => `${t.innerText.trim()} (${t.clientWidth} of ${t.scrollWidth} px)`)"""


def cut_whatif_choices(page) -> dict:
    """What the What-if tab's parameter choices cut: the choice shown in each select box, and
    every option of each select's open list (read, then closed with Escape)."""
    from playwright.sync_api import expect

    panel = page.get_by_role("tabpanel", name="What-if", exact=True)
    selects = panel.get_by_test_id("stSelectbox")
    expect(selects.first).to_be_visible(timeout=60_000)
    cut, options_seen = {}, 0
    for i in range(selects.count()):
        select = selects.nth(i)
        cut[f"select {i + 1}"] = select.evaluate(CUT_TEXT_JS)
        options = page.get_by_role("option")
        for attempt in range(3):  # a click during the previous list's closing can be lost
            select.get_by_role("combobox").click()
            try:
                expect(options.first).to_be_visible(timeout=5_000)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        options_seen += options.count()
        cut[f"select {i + 1} options"] = [
            text for k in range(options.count()) for text in options.nth(k).evaluate(
                f"o => ({CUT_TEXT_JS})(o).concat(o.scrollWidth > o.clientWidth + 1 ? "
                "[o.innerText] : [])")]
        page.keyboard.press("Escape")
        expect(options).to_have_count(0)  # closed before the next list is opened
    assert options_seen >= 5, options_seen  # the lists were opened and read
    return {k: v for k, v in cut.items() if v}


def five_contenders_with_prices() -> dict:
    """The default race, shorter, with the oracle as its fifth contender and every price set."""
    from lab.presets import load_preset

    cfg = load_preset("default").to_dict()
    cfg["stream"]["n_samples"] = 4000
    cfg["stream"]["drifts"] = [{"at": 2000, "width": 0, "to": {"angle": 90.0}}]
    cfg["evaluation"]["warmup"] = 500
    cfg["contenders"][1]["policy"]["every"] = 1000
    cfg["contenders"].append({"name": "Best schedule", "model": "sk.logistic_regression",
                              "policy": {"kind": "oracle", "grid": 250, "data": "window",
                                         "window": 2000}})
    cfg["costs"] = {"train_sample": 0.001, "retrain": 50, "label": 0.1, "error": 1}
    return cfg


@pytest.mark.slow
@pytest.mark.browser
def test_buttons_whole_net_cost_and_summary_tabs_at_1024_and_1366(page, app_url, artifacts):
    from playwright.sync_api import expect
    from test_browser import assert_no_errors

    from ui.urls import encode_config

    def open_tab(name):
        page.get_by_role("tab", name=name, exact=True).click()
        wait_idle(page)
        return page.get_by_role("tabpanel", name=name, exact=True)

    page.set_viewport_size({"width": 1024, "height": 768})
    page.add_init_script(f"({RECORD_TEXT_JS})()")  # what the Summary's grids draw, see below
    cfg = five_contenders_with_prices()
    page.goto(f"{app_url}/?config={urllib.parse.quote(encode_config(cfg))}")
    expect(page.get_by_role("tab", name="Accuracy")).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    assert_no_errors(page)
    cut = {"page": page.evaluate(CUT_BUTTONS_JS)}
    expect(page.locator(".st-key-run button >> visible=true")).to_have_text("play_arrowRun")
    for tab in ("Export", "What-if"):
        expect(open_tab(tab).get_by_role("button").first).to_be_visible(timeout=60_000)
        cut[tab] = page.evaluate(CUT_BUTTONS_JS)
    choices = {"What-if 1024": cut_whatif_choices(page)}  # the What-if tab is open
    for width in (1024, 1366):
        page.set_viewport_size({"width": width, "height": 768})
        panel = open_tab("Net cost")
        tables = panel.get_by_test_id("stDataFrame")
        expect(tables).to_have_count(2, timeout=60_000)
        expect(panel.locator(".js-plotly-plot")).to_have_count(2, timeout=60_000)
        cut[f"Net cost {width}"] = page.evaluate(CUT_BUTTONS_JS)
        bill_scroll, bill_width = tables.first.evaluate(OVERFLOW_JS)
        # the whole page at this width, tall enough that every chart is drawn
        page.set_viewport_size({"width": width, "height": 2400})
        page.wait_for_timeout(800)  # plotly redraws for the new size
        page.mouse.move(5, 5)
        panel.screenshot(path=str(artifacts / f"net_cost_{width}.png"))
        print(f"\n{width} px: bill table {bill_scroll} of {bill_width} px; screenshot "
              f"{artifacts / f'net_cost_{width}.png'}")
        assert bill_scroll <= bill_width, (width, bill_scroll, bill_width)  # total in view
    assert_no_errors(page)
    assert not any(cut.values()), cut
    page.set_viewport_size({"width": 1366, "height": 768})
    open_tab("What-if")
    choices["What-if 1366"] = cut_whatif_choices(page)
    assert not any(choices.values()), choices

    # For the Summary, in the editor: the second contender renamed with the 60 characters a
    # name may have, the oracle named by its policy (as the editor names a new one), and raced;
    # then Run again (answered from the run store): the contenders box is the same DOM node,
    # not rebuilt (it was, with every contender's widgets, when each Run gave it a new key).
    page.locator("[class*=st-key-contenders_box] summary").click()
    for index, new_name in ((1, SIXTY), (4, ORACLE_NAME)):
        name = page.locator("[class*=st-key-contenders_box]").get_by_label("Name").nth(index)
        name.fill(new_name)
        name.press("Enter")
        wait_idle(page)
        cfg["contenders"][index]["name"] = new_name
    page.locator(".st-key-run button >> visible=true").first.click()
    wait_idle(page)
    expect(page.locator(".st-key-driftlab_story")).to_contain_text(SIXTY)
    box = page.locator(".st-key-contenders_box")
    box.evaluate("el => { el.dataset.kept = 'yes'; }")
    page.locator(".st-key-run button >> visible=true").first.click()
    wait_idle(page)
    expect(page.locator(".st-key-driftlab_story")).to_be_visible()
    assert box.evaluate("el => el.dataset.kept") == "yes"
    # The Summary: every table fits and every name (the oracle's, the 60-character one) is
    # drawn whole, at 1366 and 1024 (the harness page's checks, tests/test_summary_tab.py)
    open_tab("Summary")
    frames = page.get_by_role("tabpanel", name="Summary").get_by_test_id("stDataFrame")
    expect(frames.first).to_be_visible()
    n = frames.count()
    assert n == 5  # one drift: overall, the drift, two stretches, costs; no table in parts
    assert_no_errors(page)
    page.mouse.move(700, 50)
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 768})
        page.wait_for_timeout(500)
        texts = redrawn_texts(page, width)
        page.screenshot(path=str(artifacts / f"summary_tab_app_{width}.png"), full_page=True)
        for i in range(n):
            scroll_width, client_width = frames.nth(i).evaluate(OVERFLOW_JS)
            assert scroll_width <= client_width, (width, i, scroll_width, client_width)
        assert names_drawn_whole(texts, [c["name"] for c in cfg["contenders"]]) == [], width
    # ... and the Net cost tab's bill with these names at 1024 px (it scrolled sideways, 842 of
    # 652 px, while its name column was as wide as the longest name)
    bill = open_tab("Net cost").get_by_test_id("stDataFrame").first
    expect(bill).to_be_visible(timeout=60_000)
    page.wait_for_timeout(300)
    bill_scroll, bill_width = bill.evaluate(OVERFLOW_JS)
    assert bill_scroll <= bill_width, ("Net cost 1024, long names", bill_scroll, bill_width)
    page.set_viewport_size({"width": 1366, "height": 768})

    # a negative price, typed: the browser used to refuse it silently (the old price stayed);
    # now the page names the field, its range and the fix, and Run is off
    price = page.get_by_role("spinbutton", name="Price per retrain (price units)")
    price.fill("-5")
    price.press("Enter")
    wait_idle(page)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("Price per retrain (price units): is -5, below 0", timeout=30_000)
    expect(error).to_contain_text("the results below are still those of run 3")  # 1 + 2 Runs
    expect(page.locator(".st-key-run button >> visible=true")).to_be_disabled()
    page.screenshot(path=str(artifacts / "negative_price_1366.png"))
