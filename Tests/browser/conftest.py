"""Browser tests of the centres' pages against a running `onegrid serve --demo`.

`.ci/run` starts the server and sets ONEGRID_BASE_URL; run by hand with a server of your own:
    ONEGRID_BASE_URL=http://127.0.0.1:8080 pytest Tests/browser
"""
import json
import os
import pathlib
import urllib.request

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("ONEGRID_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = "onegrid-demo"
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "screenshots"


def new_browser():
    """A headless Chromium as a Chinese desk sees the pages, at the desk laptop's 1366×768 of page."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    resize(browser, 1366, 768)
    return browser


def resize(browser, width, height):
    """The page itself, not the window, at the given size."""
    browser.set_window_size(width, height)
    inner = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    browser.set_window_size(width + (width - inner[0]), height + (height - inner[1]))


@pytest.fixture
def driver():
    browser = new_browser()
    yield browser
    browser.quit()


def url(path):
    return BASE_URL + path


def click_and_wait(driver, element):
    """Clicks what submits a form or follows a link, and waits for the next page to load."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 20).until(lambda d: left_document(page))
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def left_document(element):
    """True once the element's page is gone. Chromium sometimes answers a check on an element of
    a page that is being replaced with an inspector error instead of "stale"; both mean gone."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error) or "No node with given id" in str(error):
            return True
        raise


def sign_in(driver, username, password=PASSWORD):
    driver.get(url("/signin"))
    driver.find_element(By.ID, "username").clear()
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))


def sign_out(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".signout button"))


def screenshot(driver, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def check_accessibility(driver, name):
    """axe-core on the page as it stands: no serious or critical violation."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in bad)


def api(method, path, token=None, body=None):
    """The JSON API, for setting up what a test needs and checking what it did."""
    request = urllib.request.Request(url("/api/v1" + path), method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(request, data) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else {})
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def api_sign_in(username):
    status, body = api("POST", "/session", body={"username": username, "password": PASSWORD})
    assert status == 201, body
    return body["token"]
