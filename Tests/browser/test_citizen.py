"""The citizen's portal on a phone (390×844, touch): report anonymously with a photo, keep the
number and the follow link, follow it while staff handle the case through the API, see nobody's
personal data, rate; a link of another case shows nothing; too many reports answer 429."""
import base64
import http.cookiejar
import pathlib
import re
import secrets
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SCREENSHOTS, api, api_sign_in, check_accessibility, click_and_wait, screenshot, sign_in, url

# The first grid of the demo city (和平村第1网格): its village's dispatcher, handler and grid worker.
POINT = ("34.862", "117.552")
NAME, PHONE = "王秀英", "13812345678"
NOTES = {"accept": "已电话联系王秀英", "feedBack": "电工李建国 13700002222 已更换灯泡", "verifyPass": "网格员现场核实路灯正常"}
# The smallest JPEG a browser sends as a photo: the server knows a photo by its first bytes.
JPEG = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(2_000)


@pytest.fixture
def phone():
    """Headless Chromium as a phone: 390×844 CSS pixels, touch, a phone's user agent."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN"})
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36",
    })
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield browser
    browser.quit()


def full_screenshot(driver, name):
    """The whole page at phone width, not only what fits on the screen."""
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "fromSurface": True})
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def answer(question):
    a, b = map(int, re.search(r"(\d+)\s*(?:加|plus)\s*(\d+)", question).groups())
    return str(a + b)


def act(case_id, token, action, **fields):
    status, body = api("POST", f"/cases/{case_id}/actions", token, {"action": action, **fields})
    assert status == 200, body
    return body


def test_citizen_reports_anonymously_follows_and_rates(phone):
    phone.get(url("/report"))
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390, "the form is wider than the phone"
    check_accessibility(phone, "citizen report")
    full_screenshot(phone, "citizen-report")

    phone.find_element(By.ID, "r-description").send_keys("村口路灯晚上不亮，已经三天了")
    photo = pathlib.Path(tempfile.mkdtemp()) / "light.jpg"
    photo.write_bytes(JPEG)
    phone.find_element(By.ID, "r-photos").send_keys(str(photo))
    # The phone's position, as "use where I am now" fills it in.
    phone.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": float(POINT[0]), "longitude": float(POINT[1]), "accuracy": 10})
    phone.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["geolocation"]})
    phone.find_element(By.ID, "r-locate").click()
    WebDriverWait(phone, 10).until(lambda d: d.find_element(By.ID, "r-lat").get_attribute("value"))
    phone.find_element(By.CSS_SELECTOR, "#r-category option[value='service.streetlight']").click()
    phone.find_element(By.ID, "r-name").send_keys(NAME)
    phone.find_element(By.ID, "r-phone").send_keys(PHONE)
    assert phone.find_element(By.NAME, "anonymous").is_selected(), "staying anonymous to the public is the default"
    question = phone.find_element(By.CSS_SELECTOR, "label[for=r-answer]").text
    phone.find_element(By.ID, "r-answer").send_keys(answer(question))
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]"))

    number = phone.find_element(By.ID, "case-number").text
    link = phone.find_element(By.ID, "follow-link").get_attribute("href")
    assert re.fullmatch(r"\d{8}-\d{8}", number)
    assert re.search(r"/follow/[0-9a-f]{64}$", link)
    assert NAME not in phone.page_source and PHONE not in phone.page_source
    check_accessibility(phone, "citizen follow (new)")
    full_screenshot(phone, "citizen-follow-new")

    # Staff take the case to its checked result through the API.
    case_id = int(number.split("-")[1])
    village, handler, worker = (api_sign_in(name) for name in ("village1", "handler.village1", "gridworker1"))
    act(case_id, village, "accept", note=NOTES["accept"])
    act(case_id, village, "dispatch")
    act(case_id, handler, "start")
    act(case_id, handler, "feedBack", note=NOTES["feedBack"])
    act(case_id, worker, "verifyPass", note=NOTES["verifyPass"])
    staff = set()
    for username in ("village1", "handler.village1", "gridworker1"):
        status, session = api("POST", "/session", body={"username": username, "password": "onegrid-demo"})
        staff.add(session["user"]["displayName"])

    phone.get(link)
    page = phone.page_source
    for text in [NAME, PHONE, *NOTES.values(), "李建国", "13700002222", *staff]:
        assert text not in page, f"the follow page shows {text}"
    steps = [li.text for li in phone.find_elements(By.CSS_SELECTOR, ".public-steps li")]
    assert len(steps) == 6 and "已受理" in "".join(steps)
    check_accessibility(phone, "citizen follow (to rate)")
    full_screenshot(phone, "citizen-follow-rate")

    phone.find_element(By.CSS_SELECTOR, "input[name=rating][value=satisfied]").click()
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, ".rate button[type=submit]"))
    assert "谢谢您的评价" in phone.page_source
    assert "满意" in phone.find_element(By.CSS_SELECTOR, ".rated").text
    assert not phone.find_elements(By.CSS_SELECTOR, ".rate")
    status, body = api("GET", f"/cases/{case_id}", village)
    assert body["status"] == "rated" and body["rating"] == "satisfied"
    check_accessibility(phone, "citizen follow (rated)")
    full_screenshot(phone, "citizen-follow-rated")

    # Another token, or this one altered, shows the not-found page and nothing of any case.
    for other in ("/follow/" + secrets.token_hex(32), link[:-1] + ("0" if link[-1] != "0" else "1")):
        phone.get(url(other) if other.startswith("/") else other)
        assert number not in phone.page_source
        assert phone.find_element(By.CSS_SELECTOR, ".error-code").text == "404"


def test_public_map_and_list(phone):
    phone.get(url("/reports"))
    assert phone.find_element(By.CSS_SELECTOR, ".public-map svg")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    assert PHONE not in phone.page_source and NAME not in phone.page_source
    check_accessibility(phone, "citizen reports")
    full_screenshot(phone, "citizen-reports")
    # A town's map: its villages.
    # An SVG link's href is no string to WebDriver: read the attribute itself.
    phone.get(url(phone.execute_script("return document.querySelector('.public-map a').getAttribute('href')")))
    assert phone.find_element(By.CSS_SELECTOR, ".crumbs a")
    full_screenshot(phone, "citizen-reports-town")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def device():
    """A phone without a browser: its own cookies (form token, device), getting and posting the form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def call(request):
        try:
            with opener.open(request) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def form():
        status, headers, html = call(url("/report"))
        if status != 200:
            return status, headers, html, None
        return status, headers, html, {
            "_csrf": re.search(r'name="_csrf" value="([^"]+)"', html).group(1),
            "challenge": re.search(r'name="challenge" value="([^"]+)"', html).group(1),
            "answer": answer(re.search(r'for="r-answer">([^<]+)<', html).group(1)),
            "description": "楼道灯不亮", "category": "service.streetlight", "lat": POINT[0], "lng": POINT[1], "anonymous": "1",
        }

    def send(fields):
        return call(urllib.request.Request(url("/report"), data=urllib.parse.urlencode(fields).encode(), method="POST"))

    def post():
        status, headers, html, fields = form()
        return send(fields) if fields else (status, headers, html)

    post.form, post.send = form, send
    return post


def test_too_many_reports_from_one_device_answer_429_with_retry_after():
    post = device()
    fields = None
    for _ in range(5):
        status, _, _, fields = post.form()
        assert status == 200
        status, _, _ = post.send(fields)
        assert status == 303
    # The form itself says so before anyone fills it in, and a form filled in earlier is refused.
    for status, headers, body in (post.form()[:3], post.send(fields)):
        assert status == 429
        assert 0 < int(headers["Retry-After"]) <= 3600
        assert "分钟后再试" in body


def test_a_dispatcher_marks_abuse_and_its_device_is_blocked(phone, driver):
    post = device()
    status, headers, _ = post()
    assert status == 303
    token = headers["Location"].split("/follow/")[1].split("?")[0]
    phone.get(url(f"/follow/{token}"))
    case_id = int(phone.find_element(By.ID, "case-number").text.split("-")[1])

    # The dispatcher at the desk.
    sign_in(driver, "village1")
    driver.get(url(f"/cases/{case_id}"))
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[contains(., '标记为恶意反映')]"))
    assert "标记为恶意反映" in driver.find_element(By.CSS_SELECTOR, ".alert-warn").text
    check_accessibility(driver, "case page of an abusive report")
    driver.execute_script("window.scrollTo(0, 0)")
    screenshot(driver, "citizen-case-abuse")

    status, headers, body = post()
    assert status == 429
    assert int(headers["Retry-After"]) > 86_400
    assert "暂时不能提交" in body
    # Everyone behind the blocked address sees why, in place of the form.
    phone.get(url("/report"))
    assert "暂时不能提交" in phone.find_element(By.CSS_SELECTOR, ".alert-error").text
    assert not phone.find_elements(By.ID, "report-form")
    check_accessibility(phone, "citizen report (blocked)")
    full_screenshot(phone, "citizen-report-blocked")
