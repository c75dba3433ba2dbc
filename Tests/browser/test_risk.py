"""The risk picture (四情三色) in a real browser: a mediator reports a risk of violence on a
dispute, the server's watcher colours it red within a minute and warns the town's leader, whose
open risk page shows it without a reload, on its list and its map, may not bring it down before the follow-up, records the
follow-up and sees it in the matter's history; axe-core on the picture, the matter and the
administrator's rules. A leader opens the county's weekly stability report from its list and
prints it: the document alone, in the print style sheet's A4 layout."""
import time
import uuid

from selenium.webdriver.common.by import By

from conftest import api, api_sign_in, check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url
from test_mediation import report_dispute


def violent_dispute():
    case_id = report_dispute(f"邻里纠纷 {uuid.uuid4().hex[:4]}")
    village = api_sign_in("village1")
    status, body = api("POST", f"/disputes/{case_id}", village, {
        "type": "neighbour", "summary": "楼上漏水损坏楼下吊顶",
        "parties": [{"role": "applicant", "name": "王秀英", "phone": "13812345678"},
                    {"role": "respondent", "name": "李建国", "phone": "13987654321"}],
    })
    assert status == 201, body
    status, bodies = api("GET", f"/disputes/{case_id}/bodies", village)
    committee = next(b for b in bodies["bodies"] if b["kind"] == "townCommittee")
    status, body = api("POST", f"/disputes/{case_id}/steps", village, {"action": "assign", "bodyID": committee["id"], "version": 1})
    assert status == 200, body
    status, body = api("POST", f"/disputes/{case_id}/steps", api_sign_in("mediator1"),
                       {"action": "reportViolence", "note": "一方扬言报复，已告知辖区派出所。"})
    assert status == 200, body
    return case_id


def test_a_red_dispute_warns_its_leader_who_follows_it_up(driver):
    # The leader has the risk picture open before the risk is reported.
    sign_in(driver, "leader.town1")
    driver.get(url("/risk"))
    # Lost if the page were loaded again: what shows the red must be the redraw.
    driver.execute_script("window.stillTheSamePage = true")
    case_id = violent_dispute()
    link = f"/risk/matters/{case_id}?kind=dispute"
    # The watcher judges every half minute, and the open page redraws itself when a colour
    # changes: the red appears within a minute without a reload.
    deadline = time.time() + 90
    while link not in driver.page_source.replace("&amp;", "&"):
        assert time.time() < deadline, "no red on the open page within 90 seconds"
        time.sleep(1)
    assert driver.execute_script("return window.stillTheSamePage === true")
    assert "红色预警" in driver.page_source and "有激化为暴力的风险" in driver.page_source
    assert driver.find_element(By.CSS_SELECTOR, "svg.area-map")
    check_accessibility(driver, "risk picture")
    screenshot(driver, "50-risk-picture")

    driver.get(url(link))
    check_accessibility(driver, "risk matter")
    lower = driver.find_element(By.CSS_SELECTOR, "form[action*='/lower']")
    click_and_wait(driver, lower.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "颜色须在回访记录完成后才能下调" in driver.page_source
    driver.find_element(By.NAME, "note").send_keys("镇领导牵头会商，派出所、村委会联合走访双方，已达成谅解。")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action*='/follow-up'] button[type=submit]"))
    assert "回访已记录。" in driver.page_source and "已达成谅解" in driver.page_source
    assert "系统研判" in driver.find_element(By.ID, "history-heading").find_element(By.XPATH, "..").text
    screenshot(driver, "51-risk-matter")
    sign_out(driver)

    sign_in(driver, "admin")
    driver.get(url("/administration/risk"))
    check_accessibility(driver, "risk rules")
    sign_out(driver)


def test_a_countys_weekly_report_is_listed_and_prints_as_a_document(driver):
    sign_in(driver, "leader")
    driver.get(url("/risk"))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "a.button[href^='/risk/reports']"))
    assert "稳定风险周报" in driver.find_element(By.TAG_NAME, "h1").text
    check_accessibility(driver, "risk reports")
    # The last whole week: issued by the watcher when the server started.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".page-head a.button.primary"))
    report = driver.find_element(By.CSS_SELECTOR, "article.risk-report")
    for words in ("社会稳定风险周报（四情三色）", "一、总体情况", "二、四情与基线对比", "三、本周颜色变化及原因", "四、红色、黄色事项", "五、回访情况",
                  "社情", "警情", "访情", "舆情", "审核："):
        assert words in report.text, words
    assert "签发时间：" in report.text, "issued when the week closed, not compiled on demand"
    check_accessibility(driver, "risk report")
    screenshot(driver, "52-risk-report")

    # Printed: the document alone, its tables in the print size, on an A4 width.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not driver.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, ".receipt-tools").is_displayed()
    size = driver.execute_script("return getComputedStyle(document.querySelector('.report-table')).fontSize")
    assert size == "12px", f"the report's tables print at 9pt, not {size}"
    driver.set_window_size(794, 1123)
    screenshot(driver, "53-risk-report-print")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    sign_out(driver)
