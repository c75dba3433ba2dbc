"""Assessment (考核) in a real browser: the city leader's village table with ranks and grades,
a village's score sheet down to the cases behind its closure rate, the grid workers' figures,
and the administrator's settings form; axe-core on each, and each photographed."""
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By

from conftest import check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url


def last_whole_month():
    """The month before this one in the city's time: the current month has no cases in its first hours."""
    first = datetime.now(timezone(timedelta(hours=8))).replace(day=1)
    before = first - timedelta(days=1)
    return f"{before.year:04d}-{before.month:02d}"


def test_the_leader_ranks_villages_and_opens_a_score_sheet(driver):
    sign_in(driver, "leader")
    driver.get(url(f"/assessment?level=village&period={last_whole_month()}"))
    assert driver.find_elements(By.CSS_SELECTOR, "table.assessment-table tbody tr")
    assert driver.find_elements(By.CSS_SELECTOR, ".grade")
    screenshot(driver, "60-assessment-villages")
    check_accessibility(driver, "assessment table")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "table.assessment-table tbody tr a"))
    click_and_wait(driver, driver.find_elements(By.LINK_TEXT, "查看案件")[4])
    assert "计入分母的案件" in driver.page_source
    # Each case by its number, as every other page names it, opening the case.
    import re
    numbers = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "td.mono a")]
    assert numbers and all(re.fullmatch(r"\d{8}-\d{8}", n) for n in numbers), numbers
    screenshot(driver, "61-assessment-sheet")
    check_accessibility(driver, "score sheet")
    sign_out(driver)

    # A town's figures: the city's would list every grid worker of the city.
    sign_in(driver, "leader.town1")
    driver.get(url("/grid-work"))
    assert "按网格员" in driver.page_source
    screenshot(driver, "62-grid-work")
    check_accessibility(driver, "grid workers' figures")
    sign_out(driver)

    sign_in(driver, "admin")
    driver.get(url("/assessment/settings"))
    assert driver.find_element(By.NAME, "weights.town.closure")
    screenshot(driver, "63-assessment-settings")
    check_accessibility(driver, "assessment settings")
