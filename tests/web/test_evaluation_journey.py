"""The evaluator's path end to end in headless Chromium, on a real server: the operator
submits; the evaluator starts verification and asks for a revision with a comment on one
indicator; the operator sees it beside the indicator, fixes an answer and submits again; the
evaluator verifies with one level lowered and a note; the admin locks the round and the unit
is final; the report shows the claim and the verified level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "sandi-uji-yang-panjang-7"
REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "dpmptsp-kota-harapan"
RULE = "pekppp.2.a.P"
COMMENT = "Daftar hadir FKP belum memuat wakil organisasi masyarakat."


def sign_in(browser, site: str, username: str) -> None:
    browser.delete_all_cookies()
    browser.get(site + "/accounts/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.submit_form_of("id_username")
    browser.click_and_wait(browser.find_element(By.CSS_SELECTOR, "button[lang=id]"))


def click(browser, css: str) -> None:
    element = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    browser.click_and_wait(element)


def card(browser, rule: str):
    element = browser.find_element(By.CSS_SELECTOR, f'section[data-rule="{rule}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    return element


@pytest.mark.django_db(transaction=True)
def test_submit_revise_verify_lock(browser, site, make_round, make_person) -> None:
    from patuh.plugins.web import services
    from patuh.plugins.web.models import StageChange
    from patuh.plugins.web.models import Unit

    round_ = make_round()
    unit = services.import_unit(round_, EXAMPLE, user=None)
    make_person("operator-dpmptsp", "operator", (unit,))
    make_person("evaluator-1", "evaluator", (unit,))
    make_person("bagor", "admin")
    base = f"{site}/r/{round_.slug}/u/{unit.kode}/"
    wait = WebDriverWait(browser.driver, 20, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException))

    # the operator submits
    sign_in(browser, site, "operator-dpmptsp")
    browser.get(base)
    click(browser, "form[action$='/submit'] button")
    assert "Diserahkan" in browser.find_element(By.TAG_NAME, "h1").text

    # the evaluator starts verification and asks for a revision on one indicator
    sign_in(browser, site, "evaluator-1")
    browser.get(base)
    click(browser, "button[data-to=in_verification]")
    assert "/verifikasi/" in browser.current_url
    claim = card(browser, RULE).find_element(By.CSS_SELECTOR, ".claimed-level").text
    assert claim == "4"
    assert card(browser, RULE).find_elements(By.CSS_SELECTOR, ".previews img")
    card(browser, RULE).find_element(By.CSS_SELECTOR, "details.pdf summary").click()
    frame = card(browser, RULE).find_element(By.CSS_SELECTOR, "details.pdf iframe")
    wait.until(lambda d: frame.is_displayed())
    browser.switch_to.frame(frame)  # the PDF is served inline, inside the platform's page
    wait.until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && document.contentType"
    ) == "application/pdf")
    browser.switch_to.default_content()
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", card(browser, RULE))
    browser.screenshot("evaluation-verify-page")
    card(browser, RULE).find_element(By.CSS_SELECTOR, "label.revision textarea").send_keys(COMMENT)
    click(browser, "#request-revision")
    unit.refresh_from_db()
    assert unit.status == "revision_requested"

    # the operator sees the comment on the unit page and beside the indicator, fixes, re-submits
    sign_in(browser, site, "operator-dpmptsp")
    browser.get(base)
    comments = browser.find_element(By.ID, "revision-comments")
    assert COMMENT in comments.text and RULE in comments.text
    browser.screenshot("evaluation-operator-comments")
    browser.click_and_wait(comments.find_element(By.PARTIAL_LINK_TEXT, "buka indikator"))
    wait.until(lambda d: d.execute_script("return !!window.htmx"))
    indicator = browser.find_element(By.ID, "pekppp2ap")
    assert COMMENT in indicator.find_element(By.CSS_SELECTOR, ".revision-comment").text
    field = browser.find_element(By.ID, "f-standar_pelayanan-ada")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.find_element(By.CSS_SELECTOR, "input[value=tidak]").click()
    wait.until(lambda d: "Tersimpan" in d.find_element(By.ID, "f-standar_pelayanan-ada").text)
    field = browser.find_element(By.ID, "f-standar_pelayanan-ada")
    field.find_element(By.CSS_SELECTOR, "input[value=ya]").click()
    wait.until(lambda d: d.find_element(By.ID, "f-standar_pelayanan-ada")
               .find_element(By.CSS_SELECTOR, "input[value=ya]").is_selected())
    browser.screenshot("evaluation-operator-section")
    browser.get(base)
    click(browser, "form[action$='/submit'] button")
    unit.refresh_from_db()
    assert unit.status == "submitted"

    # the evaluator verifies: one level lowered, with a note
    sign_in(browser, site, "evaluator-1")
    browser.get(base)
    click(browser, "button[data-to=in_verification]")
    form = card(browser, RULE).find_element(By.CSS_SELECTOR, "form.verify-form")
    Select(form.find_element(By.NAME, "level")).select_by_value("3")
    form.find_element(By.NAME, "note").send_keys("Hanya tiga unsur masyarakat hadir.")
    browser.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert card(browser, RULE).find_element(By.CSS_SELECTOR, ".verified-level").text == "3"
    effect = browser.find_element(By.ID, "verification-effect").text
    assert "Klaim unit" in effect and "Terverifikasi" in effect
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})",
                           browser.find_element(By.ID, "verification-effect"))
    browser.screenshot("evaluation-verified")
    click(browser, "button[data-to=verified]")
    unit.refresh_from_db()
    assert unit.status == "verified"

    # the admin locks the round: the unit is final
    sign_in(browser, site, "bagor")
    browser.get(f"{site}/r/{round_.slug}/")
    click(browser, "form[action$='/kunci/'] button")
    unit = Unit.objects.get(pk=unit.pk)
    assert unit.status == "final"
    browser.get(base)
    assert "Final" in browser.find_element(By.TAG_NAME, "h1").text
    timeline = browser.find_element(By.ID, "timeline")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", timeline)
    browser.screenshot("evaluation-final-timeline")
    assert [c.to_stage for c in StageChange.objects.filter(unit=unit)] == [
        "submitted", "in_verification", "revision_requested", "submitted", "in_verification",
        "verified", "final"]

    # the report: the claim and the verified level side by side (as patuh check does)
    browser.get(base + "report")
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "Hanya tiga unsur masyarakat hadir." in text
    table = browser.find_element(By.CSS_SELECTOR, "table.verification")
    assert RULE in table.text and "4/5" in table.text and "3/5" in table.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
    browser.screenshot("evaluation-report-verification")
    row = browser.find_element(By.ID, f"rule-{RULE}")
    assert "3/5" in row.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    browser.screenshot("evaluation-report")
    from patuh.plugins.web import summary

    report = json.loads(summary.report_json(unit.folder, "pekppp", "2022"))
    item = report["verification"]["items"][0]
    assert (item["rule_id"], item["claimed_level"], item["verified_level"]) == (RULE, 4, 3)
    assert [e for e in browser.console_errors() if "favicon.ico" not in e] == []
