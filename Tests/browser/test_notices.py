"""Notices (通知公告) in a real browser: a town's dispatcher publishes a notice asking one village
for a written reply, the village's dispatcher finds it unread, replies, and the town sees the
reply and the tally; axe-core on the list, the form and both sides of the notice."""
import datetime
import uuid

from selenium.webdriver.common.by import By

from conftest import check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url


def test_a_town_asks_a_village_for_a_reply_and_sees_it(driver):
    title = "关于报送冬季纠纷排查情况的通知 " + uuid.uuid4().hex[:6]
    sign_in(driver, "town1")
    driver.get(url("/notices"))
    check_accessibility(driver, "notices")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "发布通知"))
    check_accessibility(driver, "notice form")
    driver.find_element(By.NAME, "title").send_keys(title)
    driver.find_element(By.NAME, "body").send_keys("请于本周五前书面报送本村冬季矛盾纠纷排查情况。")
    village = driver.find_elements(By.CSS_SELECTOR, "input[name=areas]")[0]
    village_name = village.find_element(By.XPATH, "..").text.strip()
    village.click()
    driver.find_element(By.CSS_SELECTOR, "input[name=response][value=reply]").click()
    # A date input takes the date as typed in the browser's locale (month, day, year).
    due = datetime.date.today() + datetime.timedelta(days=4)
    driver.find_element(By.NAME, "due").send_keys(due.strftime("%m%d%Y"))
    screenshot(driver, "40-notice-form")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    notice_url = driver.current_url
    assert "/notices/" in notice_url and title in driver.page_source
    assert village_name in driver.find_element(By.CSS_SELECTOR, ".notice-facts").text
    sign_out(driver)

    sign_in(driver, "village1")
    driver.get(url("/notices"))
    row = driver.find_element(By.XPATH, f"//tr[.//a[contains(., '{title}')]]")
    assert "未读" in row.text and "待回复" in row.text
    click_and_wait(driver, row.find_element(By.TAG_NAME, "a"))
    check_accessibility(driver, "notice received")
    driver.find_element(By.NAME, "reply").send_keys("本村排查纠纷 3 起，均已化解。")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    assert "已回复" in driver.page_source
    screenshot(driver, "41-notice-replied")
    sign_out(driver)

    sign_in(driver, "town1")
    driver.get(notice_url)
    assert "本村排查纠纷 3 起，均已化解。" in driver.find_element(By.CSS_SELECTOR, ".notice-receipts").text
    assert "1 / " in driver.find_element(By.CSS_SELECTOR, ".notice-tally").text
    check_accessibility(driver, "notice tracked")
    screenshot(driver, "42-notice-tracked")
