"""From screening to a printed agreement in a real browser: the grid worker's daily round on the
phone (360 px, one thumb) finds a risk; the village centre registers it as a dispute from the
round and gives it to a committee; the town's mediator takes each party's consent, holds a
session, records an agreement signed by both parties and the mediator and stamped, opens the
printable 人民调解协议书 with its print style, and follows it up as carried out. axe-core on
every page on the way."""
import re
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import api, api_sign_in, check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url
from test_field import phone_browser, set_offline
from test_mediation import mediate_to_printed_agreement_and_follow_up, register_and_assign


def record_round_on_the_phone(risk):
    """gridworker1's round of today on the phone, with `risk` found; the form waits for signal."""
    phone = phone_browser(360, 740)
    try:
        sign_in(phone, "gridworker1")
        click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "a[href='/field/screening']"))
        check_accessibility(phone, "field screening")
        # Done already today (the demo's rounds reach today), the form is folded under what was found.
        again = phone.find_elements(By.CSS_SELECTOR, "details.again")
        if again and again[0].get_attribute("open") is None:
            again[0].find_element(By.TAG_NAME, "summary").click()
        phone.find_element(By.ID, "checked").send_keys("走访12户，查看出租房和沿街商铺")
        phone.find_element(By.ID, "findings").send_keys(risk)
        screenshot(phone, "70-field-screening-form")
        button = phone.find_element(By.CSS_SELECTOR, "#screening-form button[type=submit]")
        # Without signal the page says so and holds the round back; it goes once signal returns.
        phone.execute_cdp_cmd("Network.enable", {})
        set_offline(phone, True)
        WebDriverWait(phone, 10).until(lambda d: not button.is_enabled())
        assert "offline-now" in phone.find_element(By.ID, "needs-signal").get_attribute("class")
        set_offline(phone, False)
        WebDriverWait(phone, 10).until(lambda d: button.is_enabled())
        click_and_wait(phone, button)
        page = phone.find_element(By.TAG_NAME, "main").text
        assert "今日已排查" in page and risk in page and "待村（社区）登记为纠纷" in page, page
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
        phone.execute_script("window.scrollTo(0, 0)")
        screenshot(phone, "71-field-screening-recorded")
        check_accessibility(phone, "field screening recorded")
    finally:
        phone.quit()


def test_a_risk_found_on_a_screening_round_is_mediated_to_a_printed_agreement(driver):
    risk = f"王李两家因楼上漏水多次争吵 {uuid.uuid4().hex[:4]}"
    record_round_on_the_phone(risk)

    # The village centre finds the risk among its grids' rounds and registers it as a dispute.
    sign_in(driver, "village1")
    driver.get(url("/screening"))
    check_accessibility(driver, "screening desk")
    finding = driver.find_element(By.XPATH, f"//td/div[contains(., '{risk}')]")
    click_and_wait(driver, finding.find_element(By.CSS_SELECTOR, "a[href$='#open']"))
    round_path = re.search(r"/screening/\d+", driver.current_url).group(0)
    assert risk in driver.find_element(By.ID, "open-finding").text
    screenshot(driver, "72-screening-round")
    check_accessibility(driver, "screening round")
    Select(driver.find_element(By.ID, "open-category")).select_by_value("dispute.neighbour")
    register_and_assign(driver)
    case_id = int(re.search(r"/disputes/(\d+)", driver.current_url).group(1))
    driver.get(url(round_path))
    assert f"#{case_id}" in driver.find_element(By.TAG_NAME, "main").text, "the round names the dispute its risk became"
    sign_out(driver)

    mediate_to_printed_agreement_and_follow_up(driver, case_id, shots=("73-dispute-file-screened", "74-agreement-print-screened"))
    token = api_sign_in("village1")
    status, timeline = api("GET", f"/cases/{case_id}/timeline", token)
    assert status == 200, timeline
    steps = [e["details"].get("step") for e in timeline["events"] if e["action"] == "mediate"]
    assert steps[0] == "register" and "stamp" in steps and steps[-1] == "followUp", steps
