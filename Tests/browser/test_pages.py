"""The centres' pages in a real browser: signing in, the queue, a case from dispatch to
feedback, what a post may not see, forms from elsewhere, ended sessions; axe-core and a
screenshot of every page."""
import urllib.error
import urllib.parse
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import api, click_and_wait, api_sign_in, check_accessibility, screenshot, sign_in, sign_out, url

# The first grid of the demo city (城关镇 › 和平村 › 和平村第1网格), as the README's walkthrough.
FIRST_GRID = {"lat": 34.862, "lng": 117.552}


def report_street_vendor(title):
    """A case the town's centre holds: street vending is handled at town level by enforcement."""
    token = api_sign_in("gridworker1")
    status, body = api("POST", "/cases", token, {
        "title": title, "description": "早高峰有流动摊贩占用人行道经营，行人只能走机动车道。",
        "categoryCode": "enforcement.street-vendor", "location": FIRST_GRID,
        "reporter": {"name": "李四", "phone": "13912345678"},
    })
    assert status == 201, body
    return body


def test_sign_in_wrong_then_right(driver):
    driver.get(url("/signin"))
    assert "演示账号" in driver.page_source
    screenshot(driver, "01-signin")
    check_accessibility(driver, "sign-in")
    sign_in(driver, "town1", "wrong-password")
    assert "用户名或密码不对" in driver.find_element(By.CSS_SELECTOR, ".alert-error").text
    assert driver.find_element(By.ID, "username").get_attribute("value") == "town1"
    screenshot(driver, "02-signin-failed")
    sign_in(driver, "town1")
    assert driver.current_url.endswith("/queue")
    assert driver.find_element(By.TAG_NAME, "h1").text == "待办案件"


def test_dispatcher_dispatches_and_handler_feeds_back(driver):
    title = f"人行道占道经营 {uuid.uuid4().hex[:6]}"
    case = report_street_vendor(title)

    # The city's centre has the fullest queue of a 3,000-case demo: a full page, no sideways scrolling.
    sign_in(driver, "city")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    assert 20 <= len(rows) <= 50, len(rows)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1366, "no sideways scrolling"
    screenshot(driver, "03-queue-dispatcher")
    check_accessibility(driver, "queue")
    sign_out(driver)

    sign_in(driver, "town1")

    search = driver.find_element(By.ID, "filter-q")
    search.send_keys(title)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, title))
    assert f"/cases/{case['id']}" in driver.current_url
    assert "139****5678" in driver.page_source and "13912345678" not in driver.page_source
    screenshot(driver, "04-case-reported")
    check_accessibility(driver, "case page")

    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#form-accept button[type=submit]"))
    assert "已受理" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    dispatch = driver.find_element(By.ID, "form-dispatch")
    departments = [o.text for o in Select(dispatch.find_element(By.NAME, "department")).options]
    assert any("建议部门" in d for d in departments), departments
    click_and_wait(driver, dispatch.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已派遣" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    screenshot(driver, "05-case-dispatched")
    sign_out(driver)

    sign_in(driver, "handler.town1.enforcement")
    assert driver.find_element(By.TAG_NAME, "h1").text == "本部门待办"
    screenshot(driver, "06-queue-handler")
    driver.get(url(f"/cases/{case['id']}"))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#form-start button[type=submit]"))
    assert "已签收" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    feedback = driver.find_element(By.ID, "form-feedBack")
    feedback.find_element(By.NAME, "note").send_keys("已劝离摊贩，人行道恢复通行。")
    feedback.find_element(By.NAME, "evidence").send_keys("photo:sidewalk-after.jpg")
    click_and_wait(driver, feedback.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已反馈办结" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    assert "photo:sidewalk-after.jpg" in driver.page_source
    screenshot(driver, "07-case-fed-back")
    check_accessibility(driver, "case page after feedback")

    status, body = api("GET", f"/cases/{case['id']}", api_sign_in("town1"))
    assert status == 200 and body["status"] == "handled", body


def test_town_dispatcher_cannot_open_another_towns_case(driver):
    city = api_sign_in("city")
    town1 = api("GET", "/me", api_sign_in("town1"))[1]["post"]["area"]["id"]
    status, listing = api("GET", "/cases?limit=200", city)
    assert status == 200
    other = next(c for c in listing["cases"] if c["areas"]["town"]["id"] != town1)
    sign_in(driver, "town1")
    driver.get(url(f"/cases/{other['id']}"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "页面不存在"
    assert other["title"] not in driver.page_source
    assert other["number"] not in driver.page_source
    screenshot(driver, "08-not-found")
    check_accessibility(driver, "404 page")


def test_post_without_form_token_is_refused(driver):
    sign_in(driver, "town1")
    session = driver.get_cookie("og_session")["value"]
    form = urllib.parse.urlencode({"action": "accept", "case": "1:1"}).encode()
    request = urllib.request.Request(url("/queue/actions"), data=form, method="POST")
    request.add_header("Cookie", f"og_session={session}")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        urllib.request.urlopen(request)
        assert False, "a form without its token was accepted"
    except urllib.error.HTTPError as error:
        assert error.code == 403
        assert "表单已失效" in error.read().decode()


def test_removed_session_is_sent_to_sign_in(driver):
    sign_in(driver, "town1")
    token = driver.get_cookie("og_session")["value"]
    status, _ = api("DELETE", "/session", token)
    assert status == 204
    driver.get(url("/queue"))
    assert "/signin" in driver.current_url
    assert driver.find_element(By.ID, "username")


def test_every_other_page_passes_axe_and_is_photographed(driver):
    pages = [("leader", "/command-room", "09-command-room"), ("window1", "/intake", "10-intake"),
             ("admin", "/administration", "11-administration")]
    for user, path, name in pages:
        sign_in(driver, user)
        assert driver.current_url.endswith(path), (user, driver.current_url)
        screenshot(driver, name)
        check_accessibility(driver, path)
        sign_out(driver)
    sign_in(driver, "town1")
    driver.get(url("/queue?lang=en"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Cases to act on"
    screenshot(driver, "12-queue-english")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "table.queue tbody tr .c-number a"))
    screenshot(driver, "13-case-english")
    check_accessibility(driver, "case page in English")
    driver.get(url("/queue?lang=zh-CN&colour=red"))
    screenshot(driver, "14-queue-red")
    driver.get(url("/posts"))
    screenshot(driver, "15-posts")
    check_accessibility(driver, "post chooser")
    driver.get(url("/screening"))
    screenshot(driver, "16-screening")
    check_accessibility(driver, "screening rounds")
