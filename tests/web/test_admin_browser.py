"""The admin in a real headless Chromium: signs in, creates a round, adds a unit, imports a
zipped manifest folder, locks the round, adds an operator and reads the audit log.
Screenshots land in tests/web/artifacts/ (admin-*.png)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "sandi-uji-yang-panjang-7"


def click_and_wait(browser, element) -> None:
    browser.click_and_wait(element)


def submit(browser, field_id: str) -> None:
    browser.submit_form_of(field_id)


@pytest.mark.django_db(transaction=True)
def test_the_admin_sets_up_a_round_in_the_browser(browser, site, make_person,
                                                  tmp_path) -> None:
    from patuh.plugins.web.models import AuditEvent
    from patuh.plugins.web.models import Unit

    make_person("bagor", "admin")
    browser.get(site + "/accounts/login/")
    browser.find_element(By.ID, "id_username").send_keys("bagor")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    submit(browser, "id_username")
    # Indonesian, whatever the browser's own language
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[lang=id]"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Kelola"))
    assert browser.current_url.endswith("/kelola/")

    browser.find_element(By.ID, "id_name").send_keys("PEKPPP Mandiri 2025")
    Select(browser.find_element(By.ID, "id_edition")).select_by_value("pekppp:2022")
    browser.find_element(By.ID, "id_year").send_keys("2025")
    browser.screenshot("admin-kelola")
    submit(browser, "id_name")
    assert browser.current_url.endswith("/r/pekppp-mandiri-2025/")

    browser.find_element(By.ID, "id_kode").send_keys("dinas-baru")
    browser.find_element(By.ID, "id_nama").send_keys("Dinas Baru")
    submit(browser, "id_kode")
    assert "Unit dinas-baru ditambahkan" in browser.page_source

    archive = tmp_path / "dpmptsp.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        folder = EXAMPLES / "dpmptsp-kota-harapan"
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, path.relative_to(folder).as_posix())
    archive.write_bytes(buffer.getvalue())
    browser.find_element(By.ID, "id_archive").send_keys(str(archive))
    submit(browser, "id_archive")
    assert "Unit dpmptsp-kota-harapan diimpor" in browser.page_source
    row = browser.find_element(By.ID, "dpmptsp-kota-harapan").text
    assert "4,67" in row and "A Pelayanan Prima" in row
    click_and_wait(browser, browser.find_element(By.XPATH,
                                                 "//button[normalize-space()='Kunci putaran']"))
    assert "Buka kunci" in browser.page_source
    browser.screenshot("admin-round", full_page=True)

    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Tambah pengguna"))
    browser.find_element(By.ID, "id_username").send_keys("op-dpmptsp")
    Select(browser.find_element(By.ID, "id_role")).select_by_value("operator")
    Select(browser.find_element(By.ID, "id_units")).select_by_visible_text(
        "pekppp-mandiri-2025 · dpmptsp-kota-harapan — Dinas Penanaman Modal dan Pelayanan "
        "Terpadu Satu Pintu Kota Harapan")
    browser.find_element(By.ID, "id_password1").send_keys(PASSWORD)
    browser.find_element(By.ID, "id_password2").send_keys(PASSWORD)
    submit(browser, "id_password1")
    assert "Pengguna op-dpmptsp ditambahkan" in browser.page_source
    browser.screenshot("admin-people", full_page=True)

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Log audit"))
    text = browser.find_element(By.TAG_NAME, "tbody").text
    for action in ("user.add", "round.lock", "unit.import", "unit.add", "round.add", "login"):
        assert action in text
    browser.screenshot("admin-audit", full_page=True)
    assert [e for e in browser.console_errors() if "favicon.ico" not in e] == []
    assert Unit.objects.filter(round__slug="pekppp-mandiri-2025").count() == 2
    assert AuditEvent.objects.filter(username="bagor").count() >= 6
