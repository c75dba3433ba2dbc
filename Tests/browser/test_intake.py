"""The window's intake in a real browser: a walk-in registered with the category proposed from
its text, the receipt shown and printed (print media emulated); axe-core on both pages."""
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import check_accessibility, click_and_wait, screenshot, sign_in


def test_clerk_registers_a_walk_in_and_prints_the_receipt(driver):
    sign_in(driver, "window1")
    assert driver.current_url.endswith("/intake")
    check_accessibility(driver, "intake")
    title = f"村口路灯不亮 {uuid.uuid4().hex[:4]}"
    driver.find_element(By.ID, "f-name").send_keys("王五")
    driver.find_element(By.ID, "f-phone").send_keys("13812345678")
    driver.find_element(By.ID, "f-title").send_keys(title)
    driver.find_element(By.ID, "f-description").send_keys("村口的路灯坏了三天，晚上一片漆黑，老人走路害怕。")

    # The proposals arrive while typing; the best one is one click.
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#proposals .proposal"))
    proposals = driver.find_elements(By.CSS_SELECTOR, "#proposals .proposal")
    assert len(proposals) == 3
    assert "路灯" in proposals[0].text, proposals[0].text
    proposals[0].click()
    chosen = proposals[0].find_element(By.TAG_NAME, "input").get_attribute("value")
    assert Select(driver.find_element(By.ID, "f-category")).first_selected_option.get_attribute("value") == chosen

    # The grid from the map: a click on a grid chooses it in the list.
    shape = driver.find_element(By.CSS_SELECTOR, ".grid-pick polygon")
    shape.click()
    grid = Select(driver.find_element(By.ID, "f-grid")).first_selected_option
    assert grid.get_attribute("value"), "the map chose a grid"
    driver.find_element(By.ID, "f-address").send_keys("和平村村口")
    screenshot(driver, "16-intake-filled")

    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[value=register]"))
    assert "/intake/receipts/" in driver.current_url
    receipt = driver.find_element(By.CSS_SELECTOR, "article.receipt")
    assert "受理回执" in receipt.text
    assert title in receipt.text
    assert "138****5678" in receipt.text and "13812345678" not in receipt.text
    assert "办理时限" in receipt.text
    screenshot(driver, "17-receipt")
    check_accessibility(driver, "receipt")

    # As printed: the document alone, no top bar or buttons, on an A4 width.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not driver.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, ".receipt-tools").is_displayed()
    driver.set_window_size(794, 1123)
    screenshot(driver, "18-receipt-print")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
