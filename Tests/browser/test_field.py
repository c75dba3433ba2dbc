"""The grid worker's phone pages at phone size (390×844, touch): a report with a camera-sized
photo and the phone's position made without network, kept in the outbox across a closed page,
sent once the network returns — exactly one case, its photo shrunk to at most 500 KB — and a
verification made offline likewise; axe-core and a screenshot of every page."""
import base64
import json
import os
import tempfile
import time
import uuid

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BASE_URL, api, api_sign_in, check_accessibility, click_and_wait, screenshot, sign_in, url

# Inside 和平村第1网格, gridworker1's grid (the README's walkthrough point).
IN_GRID = {"lat": 34.862, "lng": 117.552}
PHOTO_LIMIT = 500 * 1024


def phone_browser(width=390, height=844):
    """Headless Chromium as a phone: 390×844 CSS pixels unless told, touch, a phone's user agent."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN"})
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    })
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.execute_cdp_cmd("Browser.grantPermissions", {"origin": BASE_URL, "permissions": ["geolocation"]})
    browser.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": IN_GRID["lat"], "longitude": IN_GRID["lng"], "accuracy": 15})
    browser.execute_cdp_cmd("Network.enable", {})
    return browser


@pytest.fixture
def phone():
    browser = phone_browser()
    yield browser
    browser.quit()


def set_offline(driver, offline):
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def reopen(driver, path, offline):
    """Closes the page and opens the app again in a new tab, with or without network."""
    old = driver.current_window_handle
    driver.switch_to.new_window("tab")
    new = driver.current_window_handle
    driver.switch_to.window(old)
    driver.close()
    driver.switch_to.window(new)
    driver.execute_cdp_cmd("Network.enable", {})
    set_offline(driver, offline)
    driver.get(url(path))


def camera_photo(driver):
    """A 4000×3000 JPEG of about 4 MB, as a phone camera takes it, drawn by the browser itself."""
    data = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const canvas = document.createElement('canvas');
        canvas.width = 4000; canvas.height = 3000;
        const g = canvas.getContext('2d');
        const image = g.createImageData(4000, 3000);
        const px = image.data;
        let seed = 7;
        for (let i = 0; i < px.length; i += 4) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          const n = seed % 40, x = (i / 4) % 4000, y = Math.floor(i / 16000);
          px[i] = (x / 16 + n) & 255; px[i + 1] = (y / 12 + n) & 255; px[i + 2] = ((x + y) / 28 + n) & 255; px[i + 3] = 255;
        }
        g.putImageData(image, 0, 0);
        canvas.toBlob(blob => {
          const reader = new FileReader();
          reader.onload = () => done(reader.result.split(',')[1]);
          reader.readAsDataURL(blob);
        }, 'image/jpeg', 0.85);
    """)
    path = os.path.join(tempfile.mkdtemp(prefix="onegrid-photo-"), "IMG_20261130_0915.jpg")
    with open(path, "wb") as file:
        file.write(base64.b64decode(data))
    return path


def wait_for_shell(driver, *paths):
    """Until the service worker controls the page and keeps the given pages for offline use.
    The shell is fetched behind the page's own requests: once in CI it took longer than 30 s."""
    WebDriverWait(driver, 60).until(lambda d: d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const paths = arguments[0];
        if (!navigator.serviceWorker.controller) { done(false); return; }
        Promise.all(paths.map(p => caches.match(location.origin + p))).then(hits => done(hits.every(Boolean)), () => done(false));
    """, list(paths)))


def outbox_states(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#outbox-list li')).map(li => [li.dataset.state, li.textContent])")


def wait_for_state(driver, title, state, timeout=30):
    def matches(d):
        return any(s == state and title in text for s, text in outbox_states(d))
    try:
        WebDriverWait(driver, timeout).until(matches)
    except TimeoutException:
        raise AssertionError(f"{title} never became {state}: {outbox_states(driver)}") from None


def report_events(token, case_id):
    status, body = api("GET", f"/cases/{case_id}/timeline", token)
    assert status == 200, body
    return body["events"]


def cases_titled(token, title):
    status, body = api("GET", "/cases?limit=100&q=" + urllib_quote(title), token)
    assert status == 200, body
    return [case for case in body["cases"] if case["title"] == title]


def urllib_quote(text):
    import urllib.parse
    return urllib.parse.quote(text)


def test_grid_worker_reports_offline_and_it_arrives_once(phone):
    photo = None
    phone.get(url("/signin"))
    photo = camera_photo(phone)
    assert os.path.getsize(photo) > 2_500_000, os.path.getsize(photo)
    sign_in(phone, "gridworker1")
    assert phone.current_url.endswith("/field"), phone.current_url
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    screenshot(phone, "field-01-home")
    check_accessibility(phone, "field home")
    wait_for_shell(phone, "/field", "/field/report", "/field/outbox")

    title = f"村口井盖缺失 {uuid.uuid4().hex[:6]}"
    set_offline(phone, True)
    phone.get(url("/field/report"))
    assert phone.execute_script("return navigator.onLine") is False
    WebDriverWait(phone, 20).until(lambda d: d.find_element(By.ID, "lat").get_attribute("value"))
    assert abs(float(phone.find_element(By.ID, "lat").get_attribute("value")) - IN_GRID["lat"]) < 1e-4
    assert phone.find_element(By.ID, "place-state").text == "在本网格内"
    phone.find_element(By.ID, "photo").send_keys(photo)
    WebDriverWait(phone, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#photo-thumbs .size"))
    shrunk_kb = int(phone.find_element(By.CSS_SELECTOR, "#photo-thumbs .size").text.split()[0])
    assert shrunk_kb <= 500, shrunk_kb
    phone.find_element(By.ID, "title").send_keys(title)
    phone.find_element(By.ID, "description").send_keys("路口井盖不见了，晚上有人差点掉进去。")
    Select(phone.find_element(By.ID, "category")).select_by_visible_text("路灯维修")
    screenshot(phone, "field-02-report-filled")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]"))
    assert phone.current_url.endswith("/field/outbox")
    wait_for_state(phone, title, "waiting")
    screenshot(phone, "field-03-outbox-waiting")

    # The page is closed and opened again, still without network: the report is still there.
    reopen(phone, "/field/outbox", offline=True)
    assert phone.execute_script("return navigator.onLine") is False
    wait_for_state(phone, title, "waiting")
    time.sleep(1)
    token = api_sign_in("gridworker1")
    assert cases_titled(token, title) == [], "nothing left the phone while offline"

    reopen(phone, "/field/outbox", offline=False)
    wait_for_state(phone, title, "sent")
    screenshot(phone, "field-04-outbox-sent")
    # Opened once more: nothing is sent twice.
    phone.get(url("/field"))
    phone.get(url("/field/outbox"))
    wait_for_state(phone, title, "sent")

    found = cases_titled(token, title)
    assert len(found) == 1, found
    evidence = report_events(token, found[0]["id"])[0]["details"]["evidence"].split("\n")
    photos = [line.split(" ") for line in evidence if line.split(" ")[1] == "jpeg"]
    assert len(photos) == 1 and int(photos[0][2]) <= PHOTO_LIMIT, evidence
    assert found[0]["areas"]["grid"]["name"] == "和平村第1网格"


def test_report_page_reads_well_and_passes_axe(phone):
    sign_in(phone, "gridworker1")
    phone.get(url("/field/report"))
    WebDriverWait(phone, 20).until(lambda d: d.find_element(By.ID, "lat").get_attribute("value"))
    phone.find_element(By.ID, "title").send_keys("路灯不亮")
    # The category proposed from the text, best first, a tap away.
    WebDriverWait(phone, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#proposals button"))
    phone.find_elements(By.CSS_SELECTOR, "#proposals button")[0].click()
    assert Select(phone.find_element(By.ID, "category")).first_selected_option.get_attribute("value")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    phone.execute_script("window.scrollTo(0, 0)")
    screenshot(phone, "field-05-report")
    check_accessibility(phone, "field report")


def test_grid_worker_verifies_offline_and_it_is_one_step(phone):
    title = f"路灯不亮待核查 {uuid.uuid4().hex[:6]}"
    worker, village, handler = api_sign_in("gridworker1"), api_sign_in("village1"), api_sign_in("handler.village1")
    status, case = api("POST", "/cases", worker, {
        "title": title, "description": "村口一排路灯晚上都不亮", "categoryCode": "service.streetlight", "location": IN_GRID})
    assert status == 201, case
    case_id = case["id"]
    for action, token, extra in [("accept", village, {}), ("dispatch", village, {}), ("start", handler, {}),
                                 ("feedBack", handler, {"note": "已更换灯泡3个"})]:
        status, body = api("POST", f"/cases/{case_id}/actions", token, {"action": action, **extra})
        assert status == 200, body

    phone.get(url("/signin"))
    photo = camera_photo(phone)
    sign_in(phone, "gridworker1")
    verify_path = f"/field/cases/{case_id}/verify"
    assert phone.find_elements(By.CSS_SELECTOR, f'a[href="{verify_path}"]'), "the case waits for my check"
    wait_for_shell(phone, "/field", "/field/outbox", verify_path)

    set_offline(phone, True)
    phone.get(url(verify_path))
    assert title in phone.find_element(By.TAG_NAME, "article").text
    phone.find_element(By.CSS_SELECTOR, ".choice-pass").click()
    phone.find_element(By.ID, "photo").send_keys(photo)
    WebDriverWait(phone, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#photo-thumbs .size"))
    phone.find_element(By.ID, "note").send_keys("现场核查，路灯正常")
    screenshot(phone, "field-06-verify")
    check_accessibility(phone, "field verify")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "#verify-form button[type=submit]"))
    wait_for_state(phone, title, "waiting")

    reopen(phone, "/field/outbox", offline=True)
    assert phone.execute_script("return navigator.onLine") is False
    wait_for_state(phone, title, "waiting")
    status, body = api("GET", f"/cases/{case_id}", worker)
    assert body["status"] == "handled", "nothing left the phone while offline"

    reopen(phone, "/field/outbox", offline=False)
    wait_for_state(phone, title, "sent")
    phone.get(url("/field/outbox"))
    wait_for_state(phone, title, "sent")

    status, body = api("GET", f"/cases/{case_id}", worker)
    assert body["status"] == "verified", body["status"]
    passes = [event for event in report_events(worker, case_id) if event["action"] == "verifyPass"]
    assert len(passes) == 1, passes
    assert passes[0]["note"] == "现场核查，路灯正常"
    assert " jpeg " in passes[0]["details"]["evidence"]


def test_an_ended_session_keeps_the_outbox_and_asks_to_sign_in(phone):
    title = f"垃圾堆放 {uuid.uuid4().hex[:6]}"
    sign_in(phone, "gridworker1")
    wait_for_shell(phone, "/field", "/field/report", "/field/outbox")
    set_offline(phone, True)
    phone.get(url("/field/report"))
    phone.find_element(By.ID, "title").send_keys(title)
    Select(phone.find_element(By.ID, "category")).select_by_visible_text("路灯维修")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]"))
    wait_for_state(phone, title, "waiting")
    # The session ends while the phone is offline (the cookie is gone), then the network returns.
    phone.delete_cookie("og_session")
    set_offline(phone, False)
    phone.get(url("/field/outbox"))
    WebDriverWait(phone, 20).until(lambda d: d.current_url.startswith(url("/signin")) or outbox_states(d))
    if phone.current_url.startswith(url("/signin")):
        # The outbox page itself needs the session: the shell's copy is only for when there is no network.
        sign_in(phone, "gridworker1")
        phone.get(url("/field/outbox"))
    wait_for_state(phone, title, "sent")
    assert len(cases_titled(api_sign_in("gridworker1"), title)) == 1


def test_grid_worker_logs_a_due_visit_offline_and_it_becomes_one_case(phone):
    """The visits due this week, read with signal; a visit logged at the door without it, with
    the phone's position and what was found made a case; kept in the outbox across a closed
    page and sent once the network returns: one case, the finding its description."""
    sign_in(phone, "gridworker1")
    phone.get(url("/field/visits"))
    due = phone.find_elements(By.CSS_SELECTOR, "ul.cases a.case")
    assert due, "gridworker1 has no visits due this week in the demo city"
    screenshot(phone, "field-07-visits-due")
    check_accessibility(phone, "visits due")
    household = due[0].find_element(By.TAG_NAME, "strong").text
    form_path = due[0].get_attribute("pathname")
    # The due list's households' forms are kept on the phone for the walk.
    wait_for_shell(phone, "/field/visits", form_path)

    set_offline(phone, True)
    phone.get(url(form_path))
    assert household in phone.find_element(By.TAG_NAME, "main").text
    WebDriverWait(phone, 15).until(lambda d: d.find_element(By.ID, "visit-lat").get_attribute("value"))
    # Sent empty, the form says what is missing beside its fields and keeps nothing.
    phone.find_element(By.CSS_SELECTOR, "#visit-form button[type=submit]").click()
    assert phone.find_element(By.ID, "whom-error").is_displayed() and phone.find_element(By.ID, "findings-error").is_displayed()
    finding = f"楼道堆放杂物，存在消防隐患 {uuid.uuid4().hex[:6]}"
    phone.find_element(By.ID, "whom").send_keys("户主本人")
    phone.find_element(By.ID, "findings").send_keys(finding)
    assert not phone.find_element(By.ID, "whom-error").is_displayed(), "a hint stays after its field is filled"
    phone.find_element(By.ID, "turn-check").click()
    title = f"走访发现：{household}楼道杂物"
    phone.find_element(By.ID, "title").send_keys(title)
    Select(phone.find_element(By.ID, "category")).select_by_visible_text("路灯维修")
    screenshot(phone, "field-08-visit-filled")
    check_accessibility(phone, "visit form")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "#visit-form button[type=submit]"))
    assert phone.current_url.endswith("/field/outbox")
    wait_for_state(phone, household, "waiting")

    reopen(phone, "/field/outbox", offline=True)
    wait_for_state(phone, household, "waiting")
    token = api_sign_in("gridworker1")
    assert cases_titled(token, title) == [], "nothing left the phone while offline"

    reopen(phone, "/field/outbox", offline=False)
    wait_for_state(phone, household, "sent")
    screenshot(phone, "field-09-visit-sent")
    phone.get(url("/field/outbox"))
    wait_for_state(phone, household, "sent")
    made = cases_titled(token, title)
    assert len(made) == 1, made
    assert made[0]["number"] in [text for state, text in outbox_states(phone) if household in text][0]
    status, case = api("GET", f"/cases/{made[0]['id']}", token)
    assert status == 200 and case["description"] == finding, case
    # The household is no longer due this week.
    phone.get(url("/field/visits"))
    assert household not in [row.text for row in phone.find_elements(By.CSS_SELECTOR, "ul.cases strong")]


def test_sent_items_leave_the_outbox_after_a_week_and_refused_ones_stay(phone):
    sign_in(phone, "gridworker1")
    phone.get(url("/field/outbox"))
    week = 7 * 24 * 3600 * 1000
    phone.execute_async_script("""
        const done = arguments[arguments.length - 1], week = arguments[0], now = Date.now();
        const items = [
          {key: 'old-sent', kind: 'report', state: 'sent', title: '八天前已发送', createdAt: now - week - 86400000, sentAt: now - week - 3600000, caseID: 1, number: '20261122-00000001', fields: [], files: []},
          {key: 'new-sent', kind: 'report', state: 'sent', title: '昨天已发送', createdAt: now - 86400000, sentAt: now - 86400000, caseID: 2, number: '20261129-00000002', fields: [], files: []},
          {key: 'old-refused', kind: 'report', state: 'refused', title: '八天前被退回', createdAt: now - week - 86400000, reason: 'x', fields: [], files: []}];
        const open = indexedDB.open('onegrid-field', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('outbox', {keyPath: 'key'});
        open.onsuccess = () => {
          const tx = open.result.transaction('outbox', 'readwrite');
          items.forEach(item => tx.objectStore('outbox').put(item));
          tx.oncomplete = () => { open.result.close(); done(true); };
        };
    """, week)
    phone.get(url("/field/outbox"))
    WebDriverWait(phone, 10).until(lambda d: any("昨天已发送" in text for _, text in outbox_states(d)))
    shown = " ".join(text for _, text in outbox_states(phone))
    assert "八天前被退回" in shown and "八天前已发送" not in shown, shown
