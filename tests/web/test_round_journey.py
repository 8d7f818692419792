"""The issue's journey, end to end in headless Chromium: the admin creates a round and a unit
and an operator; the operator signs in, answers, uploads a PDF, sees the score move, submits
and exports the folder; `patuh check` on the export gives the report the platform serves."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.request
import zipfile

import pytest
from selenium.common.exceptions import NoSuchElementException
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "sandi-uji-yang-panjang-7"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def go(browser, element) -> None:
    browser.click_and_wait(element)


def sign_in(browser, site: str, username: str) -> None:
    browser.get(site + "/accounts/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.submit_form_of("id_username")
    go(browser, browser.find_element(By.CSS_SELECTOR, "button[lang=id]"))


def fetch(browser, url: str) -> bytes:
    """GET with the browser's session (a download the test can read)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        return response.read()


@pytest.mark.django_db(transaction=True)
def test_a_round_from_set_up_to_export(browser, site, make_person, tmp_path) -> None:
    from patuh.plugins.web.models import AuditEvent
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    wait = WebDriverWait(browser.driver, 20, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException))
    make_person("bagor", "admin")
    # the admin: a round, a unit, an operator
    sign_in(browser, site, "bagor")
    go(browser, browser.find_element(By.LINK_TEXT, "Kelola"))
    browser.find_element(By.ID, "id_name").send_keys("PEKPPP Mandiri Kota Contoh 2025")
    Select(browser.find_element(By.ID, "id_edition")).select_by_value("pekppp:2022")
    browser.find_element(By.ID, "id_year").send_keys("2025")
    browser.submit_form_of("id_name")
    browser.find_element(By.ID, "id_kode").send_keys("dinas-perizinan")
    browser.find_element(By.ID, "id_nama").send_keys("Dinas Perizinan Kota Contoh")
    browser.submit_form_of("id_kode")
    go(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Tambah pengguna"))
    browser.find_element(By.ID, "id_username").send_keys("op-perizinan")
    Select(browser.find_element(By.ID, "id_role")).select_by_value("operator")
    units = Select(browser.find_element(By.ID, "id_units"))
    units.select_by_visible_text(next(o.text for o in units.options
                                      if "dinas-perizinan" in o.text))
    browser.find_element(By.ID, "id_password1").send_keys(PASSWORD)
    browser.find_element(By.ID, "id_password2").send_keys(PASSWORD)
    browser.submit_form_of("id_password1")
    assert "Pengguna op-perizinan ditambahkan" in browser.page_source
    go(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Keluar']"))

    # the operator: answers, evidence, a score that moves in place
    sign_in(browser, site, "op-perizinan")
    unit = Unit.objects.get(kode="dinas-perizinan")
    base = f"{site}/r/{unit.round.slug}/u/{unit.kode}/"
    browser.get(base + "a/pekppp.a/")
    wait.until(lambda d: d.execute_script("return !!window.htmx"))
    score = browser.find_element(By.CSS_SELECTOR, "#score-panel .score-value")
    before = float(score.get_attribute("data-score"))
    upload = tmp_path / "Standar Pelayanan 2025.pdf"
    upload.write_bytes(PDF)
    slot = browser.find_element(By.ID, "f-standar_pelayanan-bukti")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", slot)
    slot.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    go(browser, slot.find_element(By.CSS_SELECTOR, "form.upload button"))
    wait.until(lambda d: d.execute_script("return !!window.htmx"))
    field = browser.find_element(By.ID, "f-standar_pelayanan-ada")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.find_element(By.CSS_SELECTOR, "input[value=ya]").click()
    wait.until(lambda d: float(d.find_element(By.CSS_SELECTOR, "#score-panel .score-value")
                               .get_attribute("data-score")) > before)
    assert "Tingkat sekarang: 1" in browser.find_element(By.ID, "ladder-pekppp-1-a-Ak").text
    browser.screenshot("journey-operator-section")

    # submit, then export the folder and check it with the command line
    browser.get(base)
    go(browser, browser.find_element(By.XPATH, "//form[contains(@action, 'submit')]//button"))
    unit.refresh_from_db()
    assert unit.status == "submitted"
    browser.screenshot("journey-submitted")
    archive = fetch(browser, base + "export.zip")
    folder = tmp_path / "ekspor"
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        bundle.extractall(folder)
    checked = subprocess.run(
        [sys.executable, "-m", "patuh", "check", str(folder / "manifest.yaml"), "--ruleset",
         "pekppp", "--edition", "2022", "--format", "json"],
        capture_output=True, text=True, timeout=120)
    served = UnitFolder(unit.folder).report_json("pekppp", "2022")
    assert checked.stdout == served  # byte for byte
    report = json.loads(checked.stdout)
    assert {r["rule_id"]: r["level"] for r in report["results"]}["pekppp.1.a.Ak"] == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"round.add", "unit.add", "user.add", "login"} <= actions
    assert any(a.startswith("answer") for a in actions) and "unit.submit" in actions
    assert [e for e in browser.console_errors() if "favicon.ico" not in e] == []
