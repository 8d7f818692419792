"""The leadership dashboard in a real headless Chromium: a pimpinan signs in, opens it from the
round page, reads it at desktop and phone width, switches to English and opens the HTML
summary. Screenshots: tests/web/artifacts/dashboard-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "sandi-uji-yang-panjang-7"


def errors(browser) -> list[str]:
    """Console errors but the browser's own request for /favicon.ico (the platform has none)."""
    return [e for e in browser.console_errors() if "favicon.ico" not in e]


@pytest.mark.django_db(transaction=True)
def test_the_pimpinan_reads_the_dashboard(browser, site, make_round, make_unit,
                                          make_person) -> None:
    from patuh.plugins.web.models import Unit
    from patuh.plugins.web.store import UnitFolder

    now = make_round("pekppp-2025", year=2025, name="PEKPPP Kota Harapan 2025")
    before = make_round("pekppp-2024", year=2024, name="PEKPPP Kota Harapan 2024")
    for kode, nama, folder in (("dpmptsp", "DPMPTSP Kota Harapan", "dpmptsp-kota-harapan"),
                               ("puskesmas", "Puskesmas Sukamaju", "puskesmas-sukamaju"),
                               ("kecamatan", "Kecamatan Lembah Hijau",
                                "kecamatan-lembah-hijau")):
        unit = make_unit(now, kode, nama)
        UnitFolder.import_folder(EXAMPLES / folder, unit.folder)
    old = make_unit(before, "dpmptsp", "DPMPTSP Kota Harapan")
    UnitFolder.import_folder(EXAMPLES / "kecamatan-lembah-hijau", old.folder)
    broken = make_unit(now, "rusak", "Unit Rusak")
    broken.folder.mkdir(parents=True)
    (broken.folder / "manifest.yaml").write_text("schema_version: 1\nunit: [nama]\n", "utf-8")
    Unit.objects.filter(kode="puskesmas").update(status="submitted")
    make_person("pimpinan", "pimpinan")

    browser.get(site + "/accounts/login/")
    browser.find_element(By.ID, "id_username").send_keys("pimpinan")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.submit_form_of("id_username")
    browser.click_and_wait(browser.find_element(By.CSS_SELECTOR, "button[lang=id]"))
    browser.get(site + "/r/pekppp-2025/")
    browser.click_and_wait(browser.find_element(By.LINK_TEXT, "Dasbor pimpinan"))
    assert browser.current_url.endswith("/r/pekppp-2025/dasbor/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dasbor pimpinan"
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.ranking rect")
    assert len(bars) == 3  # the failing unit has no bar
    widths = [float(bar.get_attribute("width")) for bar in bars]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 0
    assert "heat-0" in bars[0].get_attribute("class")  # DPMPTSP: the best band
    cells = browser.find_elements(By.CSS_SELECTOR, "table.heatmap tbody td")
    assert cells and all(cell.text.strip() for cell in cells)  # a number in every cell
    row = browser.find_element(By.ID, "u-rusak")
    assert "Manifest bermasalah" in row.text
    assert "+3,04" in browser.find_element(By.ID, "u-dpmptsp").text  # 4,67 − 1,63
    assert errors(browser) == []  # no CSP violation, no failed load
    browser.screenshot("dashboard-desktop", full_page=True)
    browser.execute_script("document.getElementById('h-units').scrollIntoView()")
    browser.screenshot("dashboard-desktop-units")

    browser.set_window_size(390, 844)
    browser.get(site + "/r/pekppp-2025/dasbor/")
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # wide tables scroll inside their box, the page does not
    browser.screenshot("dashboard-phone-top")
    for section in ("h-heat", "h-missed", "h-units"):
        browser.execute_script(f"document.getElementById('{section}').scrollIntoView()")
        browser.screenshot(f"dashboard-phone-{section.removeprefix('h-')}")
    browser.set_window_size(1280, 1800)

    browser.click_and_wait(browser.find_element(By.CSS_SELECTOR, "button[lang=en]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Leadership dashboard"
    assert "Indicators most units miss" in browser.page_source
    browser.screenshot("dashboard-english")

    browser.get(site + "/r/pekppp-2025/dasbor.html")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a")]
    assert site + "/r/pekppp-2025/u/dpmptsp/report" in links
    assert errors(browser) == []  # its style block is allowed by its hash
    assert browser.find_element(By.CSS_SELECTOR, "td.heat-0").value_of_css_property(
        "background-color") != "rgba(0, 0, 0, 0)"
    browser.screenshot("dashboard-summary", full_page=True)
