"""People's mediation in a real browser: a dispute case registered by its village centre, given to
the town's committee, mediated by the town's mediator to a signed and stamped agreement, printed
(print media emulated, A4), and followed up; axe-core on the desk, the file and the agreement."""
import datetime
import uuid
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import api, api_sign_in, check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url

# The first grid of the demo city, in the first village of the first town: mediator1's town.
FIRST_GRID = {"lat": 34.862, "lng": 117.552}
CITY_TIME = zoneinfo.ZoneInfo("Asia/Shanghai")


def report_dispute(title):
    token = api_sign_in("gridworker1")
    status, body = api("POST", "/cases", token, {
        "title": title, "description": "楼上卫生间漏水，楼下吊顶发霉，两家多次争吵。",
        "categoryCode": "dispute.neighbour", "location": FIRST_GRID,
        "reporter": {"name": "王秀英", "phone": "13812345678"},
    })
    assert status == 201, body
    return body["id"]


def open_step(driver, step):
    """The step's form: its <details> opened, the form returned."""
    details = driver.find_element(By.ID, f"form-{step}")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    return details.find_element(By.TAG_NAME, "form")


def set_value(driver, element, value):
    """Date and time inputs take their value as the form sends it, whatever the browser's locale."""
    driver.execute_script("arguments[0].value = arguments[1]", element, value)


def submit(driver, form):
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "alert-error" not in driver.page_source, driver.find_element(By.CSS_SELECTOR, ".alert-error").text


def register_and_assign(driver):
    """On a form with the dispute's registration fields (its file, or a screening round's risk
    found), the centre registers the dispute with its two parties, then on its file gives it to
    the first body offered: in the demo each of them has mediator1."""
    Select(driver.find_element(By.ID, "reg-type")).select_by_value("neighbour")
    driver.find_element(By.ID, "reg-amount").send_keys("3000")
    driver.find_element(By.ID, "reg-summary").send_keys("楼上漏水损坏楼下吊顶，要求赔偿修缮费。")
    Select(driver.find_element(By.ID, "p1-role")).select_by_value("applicant")
    driver.find_element(By.ID, "p1-name").send_keys("王秀英")
    driver.find_element(By.ID, "p1-phone").send_keys("13812345678")
    Select(driver.find_element(By.ID, "p2-role")).select_by_value("respondent")
    driver.find_element(By.ID, "p2-name").send_keys("李建国")
    driver.find_element(By.ID, "p2-phone").send_keys("13987654321")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button.primary"))
    assert "138****5678" in driver.page_source and "13812345678" not in driver.page_source
    check_accessibility(driver, "dispute registered")
    form = open_step(driver, "assign")
    Select(form.find_element(By.NAME, "body")).select_by_index(0)
    submit(driver, form)


def test_dispute_is_mediated_to_a_printed_agreement_and_followed_up(driver):
    case_id = report_dispute(f"邻里漏水纠纷 {uuid.uuid4().hex[:4]}")
    path = f"/disputes/{case_id}"

    # The village centre holding the case opens its file and gives it to the town's committee.
    sign_in(driver, "village1")
    driver.get(url(f"/cases/{case_id}"))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"a[href='{path}']"))
    register_and_assign(driver)
    sign_out(driver)

    mediate_to_printed_agreement_and_follow_up(driver, case_id)
    status, timeline = api("GET", f"/cases/{case_id}/timeline", api_sign_in("village1"))
    steps = [e["details"].get("step") for e in timeline["events"] if e["action"] == "mediate"]
    assert steps[0] == "register" and steps[-1] == "followUp", steps


def mediate_to_printed_agreement_and_follow_up(driver, case_id, shots=("30-dispute-file", "31-agreement-print")):
    """The town's mediator (signed in from here on) takes the dispute assigned to their committee:
    each party's consent, a session, an agreement signed by both parties and the mediator and
    stamped, its printable 人民调解协议书 with its print style, and the follow-up that finds it
    carried out; axe-core on the desk, the file, the agreement and the file followed up. The
    parties are 王秀英 (13812345678) and 李建国, as both ways of opening a dispute here register them."""
    path = f"/disputes/{case_id}"
    # The town's mediator finds it on the desk, their home.
    sign_in(driver, "mediator1")
    assert driver.current_url.endswith("/mediation"), driver.current_url
    assert f"#{case_id}" in driver.page_source
    check_accessibility(driver, "mediation desk")
    driver.get(url(path))
    for party in ("1", "2"):
        form = open_step(driver, "consent")
        Select(form.find_element(By.NAME, "party")).select_by_value(party)
        submit(driver, form)
    form = open_step(driver, "recordSession")
    held = (datetime.datetime.now(CITY_TIME) - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    set_value(driver, form.find_element(By.NAME, "startsAt"), held)
    form.find_element(By.NAME, "place").send_keys("和平村调解室")
    form.find_element(By.NAME, "participants").send_keys("王秀英\n李建国")
    form.find_element(By.NAME, "record").send_keys("双方陈述意见，同意由李建国承担修缮费用。")
    submit(driver, form)
    form = open_step(driver, "draftAgreement")
    form.find_element(By.NAME, "facts").send_keys("2026年11月，李建国家卫生间水管破裂，渗水损坏王秀英家吊顶。")
    form.find_element(By.NAME, "terms").send_keys("李建国赔偿王秀英修缮费3000元，双方不再就此事争执。")
    Select(form.find_element(By.NAME, "obligation1.party")).select_by_value("2")
    form.find_element(By.NAME, "obligation1.text").send_keys("支付修缮费3000元")
    due = (datetime.datetime.now(CITY_TIME) + datetime.timedelta(days=7)).strftime("%Y-%m-%d")
    set_value(driver, form.find_element(By.NAME, "obligation1.dueOn"), due)
    submit(driver, form)
    for party in ("1", "2"):
        form = open_step(driver, "signAsParty")
        Select(form.find_element(By.NAME, "party")).select_by_value(party)
        submit(driver, form)
    submit(driver, open_step(driver, "signAsMediator"))
    submit(driver, open_step(driver, "stamp"))
    assert "达成协议" in driver.find_element(By.CSS_SELECTOR, ".case-state").text
    screenshot(driver, shots[0])
    check_accessibility(driver, "dispute file")

    # The agreement as printed: the document alone, on an A4 width.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".agreement-card a.button"))
    agreement = driver.find_element(By.CSS_SELECTOR, "article.agreement")
    for words in ("人民调解协议书", "王秀英", "李建国", "支付修缮费3000元", "人民调解委员会（印章）"):
        assert words in agreement.text, words
    assert "13812345678" not in agreement.text
    check_accessibility(driver, "mediation agreement")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not driver.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, ".receipt-tools").is_displayed()
    driver.set_window_size(794, 1123)
    screenshot(driver, shots[1])
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # The follow-up visit finds it carried out.
    driver.get(url(path))
    form = open_step(driver, "followUp")
    form.find_element(By.CSS_SELECTOR, "input[name=carriedOut][value=yes]").click()
    form.find_element(By.NAME, "note").send_keys("已当面支付3000元，吊顶已修复。")
    submit(driver, form)
    assert "已履行" in driver.page_source
    check_accessibility(driver, "dispute file followed up")


def test_a_party_found_later_is_added_from_the_dispute_page(driver):
    case_id = report_dispute(f"邻里漏水纠纷 {uuid.uuid4().hex[:4]}")
    path = f"/disputes/{case_id}"
    sign_in(driver, "village1")
    driver.get(url(path))
    register_and_assign(driver)
    sign_out(driver)

    # At the first meeting the mediator learns the flat is co-owned: the co-owner joins the file.
    sign_in(driver, "mediator1")
    driver.get(url(path))
    form = open_step(driver, "addParty")
    Select(form.find_element(By.NAME, "newParty.role")).select_by_value("respondent")
    form.find_element(By.NAME, "newParty.name").send_keys("李建军")
    form.find_element(By.NAME, "newParty.phone").send_keys("13711112222")
    submit(driver, form)
    assert "李建军" in driver.page_source
    assert "137****2222" in driver.page_source and "13711112222" not in driver.page_source
    # The new party is asked for consent like the others.
    consent = open_step(driver, "consent")
    assert "3" in [option.get_attribute("value") for option in Select(consent.find_element(By.NAME, "party")).options]
    screenshot(driver, "32-dispute-party-added")
    check_accessibility(driver, "dispute file with a party added")
