"""The administrator's pages: a new user created from the form signs in; axe and a screenshot
of each page."""
import json
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


def test_administrator_uploads_grids_and_keeps_a_categorys_keywords(driver, tmp_path):
    sign_in(driver, "admin")
    driver.get(url("/administration/areas"))
    screenshot(driver, "24-admin-areas")
    check_accessibility(driver, "areas")

    # Down the hierarchy to a village: city › county › town › village, the first row each time.
    for _ in range(3):
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#below-heading + table tbody a"))
    village_code = driver.find_element(By.CSS_SELECTOR, ".page-head .code").text
    assert len(village_code) == 12

    # A small file: one good grid just south of the demo's first grids, the size of theirs (the
    # maps of the later tests draw it too), and one whose ring is not closed.
    suffix = 100 + uuid.uuid4().int % 900
    def feature(code, name, lng, closed=True):
        south, north = 34.856, 34.86
        ring = [[lng, south], [lng + 0.004, south], [lng + 0.004, north], [lng, north]] + ([[lng, south]] if closed else [])
        return {"type": "Feature", "properties": {"villageCode": village_code, "code": code, "name": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}
    grid_code = f"{village_code}{suffix}"
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature(grid_code, "上传网格", 117.55), feature(f"{village_code}{(suffix % 899) + 100 + 1}", "未闭合网格", 117.554, closed=False)]},
        ensure_ascii=False), encoding="utf-8")
    driver.find_element(By.ID, "grid-file").send_keys(str(path))
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#upload-heading + form button[type=submit]"))
    assert "写入 1 个，退回 1 个" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    report = driver.find_element(By.CSS_SELECTOR, ".upload-report").text
    assert grid_code in report and "边界环未闭合" in report
    assert "上传网格" in driver.find_element(By.CSS_SELECTOR, "#below-heading + table").text
    screenshot(driver, "25-admin-grid-upload")
    check_accessibility(driver, "grid upload report")

    driver.get(url("/administration/categories"))
    screenshot(driver, "26-admin-categories")
    check_accessibility(driver, "categories")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "table.categories tbody tr:not(.group) a"))
    keywords = driver.find_element(By.ID, "keywords")
    keywords.clear()
    keywords.send_keys("黑灯瞎火、啥也看不见")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[value=keywords]"))
    assert "已保存 2 个关键词" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    assert driver.find_element(By.ID, "keywords").get_attribute("value") == "黑灯瞎火、啥也看不见"

    # A bad limit comes back next to its field.
    limit = driver.find_element(By.ID, "handlingLimit")
    limit.clear()
    limit.send_keys("五天")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[value=settings]"))
    assert "时限写法" in driver.find_element(By.ID, "handlingLimit-error").text
    screenshot(driver, "27-admin-category-refused")
    check_accessibility(driver, "category with an error")

    driver.get(url("/administration/departments"))
    screenshot(driver, "28-admin-departments")
    check_accessibility(driver, "departments")


def test_administrator_keeps_the_deadline_settings_and_registers_a_webhook(driver):
    sign_in(driver, "admin")
    driver.get(url("/administration/deadlines"))
    screenshot(driver, "29-admin-deadlines")
    check_accessibility(driver, "deadline settings")
    share = driver.find_element(By.ID, "yellowShare")
    share.clear()
    share.send_keys("120")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[value=yellowShare]"))
    assert "5～95" in driver.find_element(By.ID, "yellowShare-error").text

    driver.get(url("/administration/webhooks"))
    driver.find_element(By.ID, "webhook-url").send_keys("https://example.org/onegrid")
    driver.find_element(By.ID, "webhook-secret").send_keys("a-long-enough-secret")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#create-heading + form button[type=submit]"))
    assert "Webhook 已登记" in driver.find_element(By.CSS_SELECTOR, ".alert-ok").text
    screenshot(driver, "30-admin-webhook")
    check_accessibility(driver, "one webhook")
    driver.get(url("/administration/webhooks"))
    screenshot(driver, "31-admin-webhooks")
    check_accessibility(driver, "webhooks")
