"""The command room on the wall: a leader's room follows a dispatcher's step taken in another
session without being reloaded, drills down by a click on the map and back up by the crumbs,
passes axe-core, and is photographed at the wall's 1920×1080 and the desk's 1366×768."""
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api, api_sign_in, check_accessibility, click_and_wait, new_browser, resize, screenshot, sign_in, url

# The first grid of the demo city (城关镇 › 和平村 › 和平村第1网格): its village's centre
# (village1) holds a street light reported there.
FIRST_GRID = {"lat": 34.862, "lng": 117.552}


def figure(driver, label):
    """The big number under a key figure or rate, as an int; read in one go, as the live page
    may swap its content at any moment."""
    value = driver.execute_script("""
        for (const tile of document.querySelectorAll(".kpi, .rate")) {
          if (tile.querySelector(".kpi-label, .rate-label").textContent.trim() === arguments[0])
            return tile.querySelector(".kpi-value, .rate-value").firstChild.textContent;
        }
        return null;""", label)
    assert value is not None, f"no figure {label}"
    return int("".join(ch for ch in value if ch.isdigit()))


def wait_for(driver, label, expected, seconds=5):
    WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: figure(d, label) == expected)


def test_the_wall_follows_a_dispatchers_step_without_reloading(driver):
    resize(driver, 1920, 1080)
    sign_in(driver, "leader")
    assert driver.current_url.endswith("/command-room")
    WebDriverWait(driver, 5).until(lambda d: "off" not in d.find_element(By.CSS_SELECTOR, "[data-live-status]").get_attribute("class"))
    # Set on this page only: gone if the page were loaded again.
    driver.execute_script("window.stillTheSamePage = true")
    today, open_cases, cancelled = figure(driver, "今日受理"), figure(driver, "在办案件"), figure(driver, "作废与引导（另计）")

    # A grid worker reports; the wall counts it.
    title = f"村口路灯不亮 {uuid.uuid4().hex[:6]}"
    status, case = api("POST", "/cases", api_sign_in("gridworker1"), {
        "title": title, "description": "晚上村口一排路灯都不亮，行人不便。", "categoryCode": "service.streetlight",
        "location": FIRST_GRID, "reporter": {"name": "张三", "phone": "13812345678"},
    })
    assert status == 201, case
    wait_for(driver, "今日受理", today + 1)
    wait_for(driver, "在办案件", open_cases + 1)

    # The village's dispatcher, in a browser of their own, rejects it as a false report.
    desk = new_browser()
    try:
        sign_in(desk, "village1")
        desk.get(url(f"/cases/{case['id']}"))
        desk.find_element(By.CSS_SELECTOR, "#form-reject summary").click()
        form = desk.find_element(By.CSS_SELECTOR, "#form-reject form")
        form.find_element(By.NAME, "note").send_keys("经核实，该路段路灯正常，系误报。")
        for select in form.find_elements(By.CSS_SELECTOR, "select[required]"):
            select.find_elements(By.TAG_NAME, "option")[1].click()
        click_and_wait(desk, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert desk.find_elements(By.CSS_SELECTOR, ".alert-ok"), desk.page_source[:2000]
        stepped = time.monotonic()
    finally:
        desk.quit()

    wait_for(driver, "作废与引导（另计）", cancelled + 1)
    wait_for(driver, "在办案件", open_cases)
    print(f"the wall showed the dispatcher's step {time.monotonic() - stepped:.2f} s after the step's page came back")
    assert driver.execute_script("return window.stillTheSamePage === true"), "the room was not reloaded"
    screenshot(driver, "20-command-room-wall")
    check_accessibility(driver, "command room")


def test_a_click_on_the_map_drills_down_and_the_crumbs_lead_back(driver):
    resize(driver, 1920, 1080)
    sign_in(driver, "leader")
    city = driver.find_element(By.TAG_NAME, "h1").text
    first = driver.find_element(By.CSS_SELECTOR, ".room-table tbody th a")
    county = first.text
    region = driver.find_element(By.CSS_SELECTOR, f".area-map a.region[href='{first.get_attribute('href').replace(url(''), '')}']")
    # A click on the map, as a leader would at the wall.
    click_and_wait(driver, region.find_element(By.TAG_NAME, "polygon"))
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith(county)
    screenshot(driver, "21-command-room-county")
    town = driver.find_element(By.CSS_SELECTOR, ".room-table tbody th a")
    town_name = town.text
    click_and_wait(driver, town)
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith(town_name)
    screenshot(driver, "22-command-room-town")
    check_accessibility(driver, "command room of a town")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".room-crumbs a"))
    assert driver.find_element(By.TAG_NAME, "h1").text == city

    # The desk laptop: nothing runs off to the side.
    resize(driver, 1366, 768)
    driver.refresh()
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1366
    screenshot(driver, "23-command-room-laptop")


def test_a_town_leader_cannot_open_the_county(driver):
    sign_in(driver, "leader.town1")
    crumbs = driver.find_elements(By.CSS_SELECTOR, ".room-crumbs li")
    assert len(crumbs) == 1, "the way up stops at the post's own area"
    token = api_sign_in("leader.town1")
    status, body = api("GET", "/figures/overview", token)
    assert status == 200, body
    parent = body["lineage"][-2]["id"]
    driver.get(url(f"/command-room?area={parent}"))
    assert "kpi-value" not in driver.page_source
    assert driver.find_element(By.TAG_NAME, "h1").text != body["lineage"][-2]["name"]


def test_the_queue_says_when_its_cases_changed(driver):
    sign_in(driver, "village1")
    assert driver.current_url.endswith("/queue")
    banner = driver.find_element(By.CSS_SELECTOR, "[data-live-banner]")
    assert not banner.is_displayed()
    # The stream is open once the page's script has run; give it a moment to subscribe.
    time.sleep(0.5)
    status, case = api("POST", "/cases", api_sign_in("gridworker1"), {
        "title": f"村口路灯不亮 {uuid.uuid4().hex[:6]}", "description": "晚上村口一排路灯都不亮，行人不便。",
        "categoryCode": "service.streetlight", "location": FIRST_GRID, "reporter": {"name": "张三", "phone": "13812345678"},
    })
    assert status == 201, case
    WebDriverWait(driver, 5, poll_frequency=0.05).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-live-banner]").is_displayed())
    link = driver.find_element(By.CSS_SELECTOR, "[data-live-reload]")
    assert "1 件案件发生变动" in link.text
    screenshot(driver, "24-queue-live-notice")
    click_and_wait(driver, link)
    assert case["title"] in driver.page_source, "the refreshed list holds the new case"
