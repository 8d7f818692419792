"""The admin reads the audit log in a real headless Chromium: an answer's old and new value,
an uploaded then detached file with its earlier version, the filter by unit; in Indonesian and
in English. Screenshots: tests/web/artifacts/audit-*.png."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

PASSWORD = "sandi-uji-yang-panjang-7"
SLOT = "standar_pelayanan.penetapan.bukti"
PDF = b"%PDF-1.4\n% sk lama\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_the_admin_reads_changes_and_earlier_versions(browser, site, make_round, make_unit,
                                                      make_person) -> None:
    from patuh.plugins.web import answers

    round_ = make_round()
    a, b = make_unit(round_, "dinas-a", "Dinas A"), make_unit(round_, "dinas-b", "Dinas B")
    op = make_person("op_a", "operator", (a,))
    make_person("bagor", "admin")
    assert answers.save(op, a, {"standar_pelayanan.ada": "ya"}).ok
    assert answers.save(op, a, {"standar_pelayanan.ada": "tidak"}).ok
    old = answers.upload(op, a, SLOT, "SK lama.pdf", PDF)
    answers.upload(op, a, SLOT, "SK baru.pdf", b"%PDF-1.4\n% sk baru\n%%EOF\n")
    answers.remove_evidence(op, a, SLOT, old.sha256)
    answers.submit(make_person("op_b", "operator", (b,)), b)

    browser.get(site + "/accounts/login/")
    browser.find_element(By.ID, "id_username").send_keys("bagor")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.submit_form_of("id_username")
    browser.click_and_wait(browser.find_element(By.CSS_SELECTOR, "button[lang=id]"))
    browser.get(site + "/kelola/audit/")
    table = browser.find_element(By.TAG_NAME, "tbody").text
    assert "ya → tidak" in table and "SK lama.pdf" in table and "unit.submit" in table

    Select(browser.find_element(By.ID, "id_unit")).select_by_value("pekppp-2025/dinas-a")
    browser.submit_form_of("id_unit")
    assert "unit=pekppp-2025%2Fdinas-a" in browser.current_url
    table = browser.find_element(By.TAG_NAME, "tbody").text
    assert "unit.submit" not in table and "Jawaban disimpan" in table
    versions = browser.find_element(By.CSS_SELECTOR, ".versions").text
    assert "SK lama.pdf" in versions and "SK baru.pdf" not in versions
    browser.screenshot("audit-unit", full_page=True)

    browser.click_and_wait(browser.find_element(By.CSS_SELECTOR, "button[lang=en]"))
    assert "Earlier versions of dinas-a" in browser.page_source
    assert "yes → no" in browser.find_element(By.TAG_NAME, "tbody").text
    browser.screenshot("audit-unit-en", full_page=True)
    assert [e for e in browser.console_errors() if "favicon.ico" not in e] == []
