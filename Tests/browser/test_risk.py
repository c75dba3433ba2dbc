"""The risk picture (四情三色) in a real browser: a mediator reports a risk of violence on a
dispute, the server's watcher colours it red within a minute and warns the town's leader, who
finds it on the risk page and its map, may not bring it down before the follow-up, records the
follow-up and sees it in the matter's history; axe-core on the picture, the matter and the
administrator's rules."""
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
    case_id = violent_dispute()
    link = f"/risk/matters/{case_id}?kind=dispute"
    sign_in(driver, "leader.town1")
    # The watcher judges every half minute: the red is there within a minute.
    deadline = time.time() + 90
    while True:
        driver.get(url("/risk"))
        if link in driver.page_source.replace("&amp;", "&"):
            break
        assert time.time() < deadline, "no red within 90 seconds"
        time.sleep(5)
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
