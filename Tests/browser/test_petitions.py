"""Petitions in a real browser: a collective repeat petition registered at the desk, linked to the
earlier one it repeats, routed, accepted with its printed notice, replied with its printed reply,
and taken to review; axe-core on the desk, the petition's page and both documents."""
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import api, api_sign_in, check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url

PEOPLE = "张建国 13812345678 330205198001011234\n李秀兰 13900001111 330205197505052246\n王大伟 13700002222 330205199009093355"


FIRST_GRID = {"lat": 34.862, "lng": 117.552}


def new_petition_cases(count):
    """Petition cases received at the window just now, in order: the demo's own petition cases
    already carry their records."""
    token = api_sign_in("window1")
    ids = []
    for _ in range(count):
        status, body = api("POST", "/cases", token, {
            "title": f"征地补偿款未发放 {uuid.uuid4().hex[:4]}", "description": "村里征地补偿款至今没有发放到位，多次反映无果。",
            "categoryCode": "petition.appeal", "location": FIRST_GRID,
            "reporter": {"name": "张建国", "phone": "13812345678"},
        })
        assert status == 201, body
        ids.append(body["id"])
    return ids


def register(driver, case_id, matter):
    driver.get(url("/petitions"))
    driver.find_element(By.ID, "p-case").send_keys(str(case_id))
    Select(driver.find_element(By.ID, "p-form")).select_by_value("visit")
    Select(driver.find_element(By.ID, "p-class")).select_by_value("appeal")
    headcount = driver.find_element(By.ID, "p-headcount")
    headcount.clear()
    headcount.send_keys("8")
    driver.find_element(By.ID, "p-petitioners").send_keys(PEOPLE)
    driver.find_element(By.ID, "p-matter").send_keys(matter)
    driver.find_element(By.ID, "p-bodies").send_keys("县信访局")
    Select(driver.find_element(By.ID, "p-level")).select_by_value("county")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".petition-register button[type=submit]"))
    assert driver.current_url.endswith(f"/petitions/{case_id}"), driver.current_url


def take_step(driver, step, fields=None, unit_text=None):
    """Opens a step's form, fills it and sends it."""
    form = driver.find_element(By.ID, f"form-{step}")
    form.find_element(By.TAG_NAME, "summary").click()
    if unit_text:
        select = Select(form.find_element(By.CSS_SELECTOR, "select[name=to], select[name=reviewingUnit]"))
        select.select_by_visible_text(next(o.text for o in select.options if unit_text in o.text))
    for name, value in (fields or {}).items():
        form.find_element(By.NAME, name).send_keys(value)
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def print_view(driver, name):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not driver.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, ".receipt-tools").is_displayed()
    driver.set_window_size(794, 1123)
    screenshot(driver, name)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    driver.set_window_size(1366, 768)


def test_a_collective_repeat_petition_through_acceptance_reply_and_review(driver):
    earlier, case_id = new_petition_cases(2)
    marker = uuid.uuid4().hex[:4]
    sign_in(driver, "county1")
    driver.get(url("/petitions"))
    check_accessibility(driver, "petition desk")
    register(driver, earlier, f"反映征地补偿款至今未发放到位 {marker}")
    register(driver, case_id, f"征地补偿款一直没有发放到位 {marker}")

    # The earlier petition of the same people is offered; the clerk confirms it.
    candidates = driver.find_element(By.CSS_SELECTOR, "[aria-labelledby=repeat-heading]")
    assert f"#{earlier}" in candidates.text
    assert "8 人（集体访）" in driver.find_element(By.TAG_NAME, "main").text
    check_accessibility(driver, "petition page")
    screenshot(driver, "40-petition-repeat-candidates")
    click_and_wait(driver, candidates.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已确认为重复信访" in driver.page_source

    take_step(driver, "route", unit_text="信访局")
    assert "已转送" in driver.page_source
    sign_out(driver)

    sign_in(driver, "handler.county1.petition")
    driver.get(url("/petitions"))
    row = driver.find_element(By.CSS_SELECTOR, f"a[href='/petitions/{case_id}']").find_element(By.XPATH, "./ancestor::tr")
    assert "受理告知" in row.text and "正常" in row.text
    screenshot(driver, "41-petition-desk")
    check_accessibility(driver, "petition desk of the bureau")
    driver.get(url(f"/petitions/{case_id}"))
    assert "330205********1234" in driver.page_source
    take_step(driver, "accept", {"notice": "您反映的征地补偿问题本机关已受理，将在60日内办结。"})
    assert "已受理" in driver.page_source

    driver.get(url(f"/petitions/{case_id}/notice"))
    notice = driver.find_element(By.CSS_SELECTOR, "article.petition-document")
    assert "信访事项受理告知书" in notice.text and "60日内办结" in notice.text
    check_accessibility(driver, "acceptance notice")
    print_view(driver, "42-petition-notice-print")

    driver.get(url(f"/petitions/{case_id}"))
    take_step(driver, "reply", {"text": "经核实，征地补偿款已于本月补发到位。"})
    driver.get(url(f"/petitions/{case_id}/reply"))
    reply = driver.find_element(By.CSS_SELECTOR, "article.petition-document")
    assert "信访处理意见书" in reply.text and "补发到位" in reply.text
    check_accessibility(driver, "written reply")
    print_view(driver, "43-petition-reply-print")
    sign_out(driver)

    # The petitioners disagree: the county centre registers their request for a review.
    sign_in(driver, "county1")
    driver.get(url(f"/petitions/{case_id}"))
    take_step(driver, "requestReview", {"reason": "补偿标准低于政策规定"}, unit_text="市")
    assert "复查复核中" in driver.find_element(By.CSS_SELECTOR, ".case-state").text
    screenshot(driver, "44-petition-under-review")
