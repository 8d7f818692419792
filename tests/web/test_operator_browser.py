"""The operator's questionnaire in a real headless Chromium: signing in, a yes/no answer that
moves the score without a page reload (htmx, no inline script), a PDF upload; screenshots of
the pages in tests/web/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

PASSWORD = "sandi-uji-yang-panjang-7"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dpmptsp-kota-harapan"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def unit_b(settings, tmp_path, transactional_db, make_round, make_person):
    from patuh.plugins.web import services

    settings.DATA = tmp_path / "data"
    settings.DATA.mkdir()
    unit = services.import_unit(make_round(), EXAMPLE, user=None)
    make_person("operator_b", "operator", (unit,))
    return unit


def test_an_operator_answers_and_sees_the_score_move(browser, live_server, unit_b,
                                                     tmp_path) -> None:
    from selenium.common.exceptions import NoSuchElementException
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # an element read while the page is replaced goes stale: read it again
    wait = WebDriverWait(browser.driver, 20, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException))
    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys("operator_b")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]:not(.link)").click()
    wait.until(lambda d: "/accounts/login/" not in d.current_url)
    # the browser asks for English; the operator picks Indonesian
    browser.find_element(By.CSS_SELECTOR, "button[lang=id]").click()
    wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id")

    base = f"{live_server.url}/r/{unit_b.round.slug}/u/{unit_b.kode}/"
    browser.get(base)
    browser.screenshot("operator-unit")
    browser.get(base + "a/pekppp.a/")
    wait.until(lambda d: d.execute_script("return !!window.htmx"))
    score = browser.find_element(By.CSS_SELECTOR, "#score-panel .score-value")
    before = score.get_attribute("data-score")
    # a marker on the page: a reload would lose it
    browser.execute_script("document.body.dataset.marker = 'still-here'")
    field = browser.find_element(By.ID, "f-standar_pelayanan-ada")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.find_element(By.CSS_SELECTOR, "input[value=tidak]").click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#score-panel .score-value")
               .get_attribute("data-score") != before)
    after = browser.find_element(By.CSS_SELECTOR, "#score-panel .score-value")
    assert float(after.get_attribute("data-score")) < float(before)
    assert browser.execute_script("return document.body.dataset.marker") == "still-here"
    saved = browser.find_element(By.ID, "f-standar_pelayanan-ada")
    assert "Tersimpan" in saved.text
    ladder = browser.find_element(By.ID, "ladder-pekppp-1-a-Ak")
    assert "Tingkat sekarang: 0" in ladder.text
    assert "ada: false" in (unit_b.folder / "manifest.yaml").read_text("utf-8")
    browser.screenshot("operator-section")

    upload = tmp_path / "sk-penetapan.pdf"
    upload.write_bytes(PDF)
    slot = browser.find_element(By.ID, "f-standar_pelayanan-penetapan-bukti")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", slot)
    slot.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    slot.find_element(By.CSS_SELECTOR, "form.upload button").click()
    wait.until(lambda d: "sk-penetapan.pdf" in d.find_element(
        By.ID, "f-standar_pelayanan-penetapan-bukti").text)
    assert "diunggah" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    browser.screenshot("operator-upload")
    browser.get(base + "a/pekppp.f/")  # a list of objects: the innovations
    assert "Tambah butir" in browser.find_element(By.ID, "group-inovasi-daftar").text
    browser.screenshot("operator-innovation", full_page=True)
    # submitted meanwhile (another tab): a change on the open page is refused, and says so
    browser.get(base + "a/pekppp.a/")
    wait.until(lambda d: d.execute_script("return !!window.htmx"))
    type(unit_b).objects.filter(pk=unit_b.pk).update(status="submitted")
    field = browser.find_element(By.ID, "f-standar_pelayanan-ada")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.find_element(By.CSS_SELECTOR, "input[value=ya]").click()
    wait.until(lambda d: "Tidak tersimpan" in d.find_element(
        By.ID, "f-standar_pelayanan-ada").text)
    assert "ada: false" in (unit_b.folder / "manifest.yaml").read_text("utf-8")
    browser.screenshot("operator-refused-save")
    browser.get_log("browser")  # the refused POST's 403 is logged by the browser, as expected
    type(unit_b).objects.filter(pk=unit_b.pk).update(status="draft")
    browser.find_element(By.CSS_SELECTOR, "button[lang=en]").click()
    wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    browser.get(base + "a/pekppp.a/")
    assert "Unit score" in browser.find_element(By.ID, "score-panel").text
    assert "Level now" in browser.find_element(By.ID, "ladder-pekppp-1-a-Ak").text
    browser.screenshot("operator-section-en")
    browser.get(base + "report")  # the command's HTML report: its style allowed by hash
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert browser.execute_script(
        "return getComputedStyle(document.body).fontFamily") != "Times New Roman"
    browser.screenshot("operator-report")
    # no script or style refused by the policy (the site has no favicon: not this test's)
    assert [e for e in browser.console_errors() if "favicon.ico" not in e] == []
