"""The administrator's pages: a new user created from the form signs in; axe and a screenshot
of each page."""
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import check_accessibility, click_and_wait, screenshot, sign_in, sign_out, url


def test_administrator_creates_a_user_who_then_signs_in(driver):
    sign_in(driver, "admin")
    assert driver.current_url.endswith("/administration")
    screenshot(driver, "20-admin-home")
    check_accessibility(driver, "administration home")

    driver.get(url("/administration/users"))
    screenshot(driver, "21-admin-users")
    check_accessibility(driver, "accounts")

    # A bad username comes back next to its field, the rest of the input kept.
    driver.find_element(By.ID, "new-username").send_keys("x")
    driver.find_element(By.ID, "new-displayName").send_keys("王芳")
    Select(driver.find_element(By.ID, "new-role")).select_by_value("dispatcher")
    Select(driver.find_element(By.ID, "new-area")).select_by_index(3)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#create-heading + form button[type=submit]"))
    assert "用户名须为" in driver.find_element(By.ID, "new-username-error").text
    assert driver.find_element(By.ID, "new-displayName").get_attribute("value") == "王芳"
    screenshot(driver, "22-admin-users-refused")
    check_accessibility(driver, "accounts with an error")

    username = f"wang.{uuid.uuid4().hex[:6]}"
    field = driver.find_element(By.ID, "new-username")
    field.clear()
    field.send_keys(username)
    driver.find_element(By.ID, "new-password").send_keys("wang-fang-1")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#create-heading + form button[type=submit]"))
    assert "已创建账号：王芳" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    screenshot(driver, "23-admin-user")
    check_accessibility(driver, "one account")
    sign_out(driver)

    sign_in(driver, username, "wang-fang-1")
    assert driver.current_url.endswith("/queue")
