"""`degrade-ml app` in a real browser: the app runs as its own process on a free local port, and Debian's headless
Chromium (Selenium, chromium-driver) opens the shareable URL, types a bad name and runs a 1,000-combination screen.
Screenshots of both views go to reports/ (the README shows them)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEGRADE_ML, free_port

from degrade_ml.cli.render import no_products

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_app")]  # its module fixtures built once, on one worker

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
START_TIMEOUT_S = 90
ANSWER_TIMEOUT_S = 120
SHARED_URL = "{}/?se=Li6PS5Cl&electrode=NMC811&coating=LiNbO3&voltage=4.3"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
# 10 × 10 × 10 names; aliases of a few chemistries (LPSCl, LPSC, Li6PS5Cl, …) keep the thermodynamics short
SCREEN_LISTS = (
    "LPSCl, LPSC, Li6PS5Cl, LPS, Li3PS4, β-Li3PS4, LGPS, Li10GeP2S12, LPGS, thio-LISICON",
    "NMC811, NCM811, LCO, LiCoO2, NMC622, NCM622, CMN622, LMO, LiMn2O4, NCA",
    "none, LNO, LiNbO3, Li-Nb-O, ALD-LNO, LZO, Li2ZrO3, Li-Zr-O, Li3PO4, Li-P-O",
)



def _answers(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return None


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """`degrade-ml app` on a free 127.0.0.1 port for the whole module; killed at teardown whatever happened."""
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "app.log"
    started = time.perf_counter()
    with open(log, "w") as handle:
        server = subprocess.Popen([*DEGRADE_ML, "app", "--port", str(port)], stdout=handle, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        while _answers(url + "/") != 200:
            if server.poll() is not None or time.perf_counter() - started > START_TIMEOUT_S:
                pytest.fail(f"the app did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        print(f"\ndegrade-ml app answered / after {time.perf_counter() - started:.1f} s")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium from Debian's packages with a fresh profile; skipped where it is not installed, unless
    DEGRADE_ML_REQUIRE_BROWSER is set (CI sets it, after installing chromium and chromium-driver)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        if os.environ.get("DEGRADE_ML_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromium-driver are required (apt-get install -y chromium chromium-driver)")
        pytest.skip("no chromium/chromedriver (apt-get install -y chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1400,1000")
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver, condition, timeout: float = ANSWER_TIMEOUT_S):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _full_height(driver) -> None:
    """A window as tall as the page (plots re-layout when it grows, so until the height holds)."""
    for _ in range(3):
        height = driver.execute_script("return document.documentElement.scrollHeight") + 200
        if driver.get_window_size()["height"] >= height:
            return
        driver.set_window_size(1400, min(height, 4000))
        time.sleep(0.5)


def _screenshot(driver, name: str) -> None:
    REPORTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(REPORTS / name))
    driver.set_window_size(1400, 1000)


def _cli(*arguments: str) -> subprocess.Popen:
    """The command line started beside the browser (both take seconds); `.communicate()` gives its output."""
    return subprocess.Popen([*DEGRADE_ML, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_root_answers_200(app_url):
    assert _answers(app_url + "/") == 200
    assert _answers(app_url + "/screen") == 200


def test_shareable_url_renders_the_answer_of_predict(app_url, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    cli = _cli("predict", "--se", "Li6PS5Cl", "--electrode", "NMC811", "--coating", "LiNbO3", "--voltage", "4.3",
               "--json", "--explain")
    browser.get(SHARED_URL.format(app_url))
    _wait(browser, lambda d: d.find_elements(By.ID, "answer-json"))
    shown = json.loads(browser.find_element(By.ID, "answer-json").get_attribute("textContent"))
    stdout, stderr = cli.communicate(timeout=300)
    assert cli.returncode == 0, stderr
    expected = json.loads(stdout)
    assert shown == expected

    assert browser.find_element(By.ID, "stability-class").text == expected["stability"]
    stability = browser.find_element(By.ID, "stability").text
    for key, p in expected["stability_probabilities"].items():
        assert f"{key} {p:.2f}" in stability
    products = browser.find_element(By.ID, "products").text
    for key in expected["products"]:
        assert key in products
    shown_products = [k for k, p in expected["product_probabilities"].items() if p >= 0.05]
    assert shown_products and all(f"{k} {expected['product_probabilities'][k]:.2f}" in products for k in shown_products)
    assert browser.find_element(By.ID, "products-verdict").text == (
        ", ".join(expected["products"]) or no_products(expected["stability"]))
    assert "potential used: 4.3 V" in browser.find_element(By.ID, "basis").text

    # one rendered plotly plot per contact (SE|electrode if uncoated, SE|coating, coating|electrode), kinks on hover
    plots = browser.find_elements(By.CSS_SELECTOR, ".contact-plot .js-plotly-plot")
    assert len(plots) == 3
    assert browser.find_elements(By.CSS_SELECTOR, ".contact-plot .scatterlayer .trace")
    assert browser.find_elements(By.CSS_SELECTOR, "#window-plot .js-plotly-plot")

    # hovering the deepest kink of SE|electrode shows its reaction, as the Materials Project app does
    _full_height(browser)
    energies = browser.execute_script("return document.querySelector('.contact-plot .js-plotly-plot').data[0].y")
    first = browser.find_element(By.CSS_SELECTOR, ".contact-plot")
    points = first.find_elements(By.CSS_SELECTOR, ".scatterlayer .points path")
    assert len(points) == len(energies) > 2
    ActionChains(browser).move_to_element(points[energies.index(min(energies))]).perform()
    label = _wait(browser, lambda d: first.find_element(By.CSS_SELECTOR, ".hoverlayer .hovertext")
                  .get_attribute("textContent"), timeout=10)
    assert f"E = {min(energies):.0f} meV/atom" in label and "Li6PS5Cl" in label and "→" in label
    _screenshot(browser, "app_interface.png")


def test_bad_name_shows_the_cli_message_next_to_its_field(app_url, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    cli = _cli("predict", "--se", "Xq2", "--electrode", "NMC811", "--coating", "LiNbO3", "--voltage", "4.3")
    browser.get(SHARED_URL.format(app_url))
    _wait(browser, lambda d: d.find_elements(By.ID, "answer-json"))
    field = browser.find_element(By.ID, "se")
    _wait(browser, lambda d: field.get_attribute("value") == "Li6PS5Cl")  # the form filled from the link first
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("Xq2")
    _wait(browser, lambda d: field.get_attribute("value") == "Xq2")
    field.send_keys(Keys.ENTER)
    message = _wait(browser, lambda d: d.find_element(By.ID, "se-error").text)
    _, stderr = cli.communicate(timeout=300)
    assert cli.returncode == 2
    assert f"degrade-ml: {message}" == stderr.strip()
    assert "\n" not in message and "Xq2" in message
    assert "se=Xq2" in browser.current_url  # the link to the failing query can be shared too
    assert not browser.find_elements(By.ID, "answer-json")  # no earlier answer left beside the message
    assert "Traceback" not in browser.find_element(By.TAG_NAME, "body").text


def test_screen_of_1000_combinations_draws_its_heatmap_and_downloads(app_url, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(app_url + "/screen")
    for list_id, names in zip(("screen-se", "screen-electrodes", "screen-coatings"), SCREEN_LISTS):
        area = _wait(browser, lambda d: d.find_element(By.ID, list_id))
        area.send_keys(Keys.CONTROL, "a")  # (clear() empties the box but not the page's state)
        area.send_keys(names)
    browser.find_element(By.ID, "screen-run").click()
    _wait(browser, lambda d: "ranked" in d.find_element(By.ID, "screen-status").text)
    assert browser.find_element(By.ID, "screen-status").text.startswith("1,000 combinations ranked")
    assert not browser.find_element(By.ID, "screen-message").text
    assert not browser.find_element(By.ID, "screen-rejected").text  # every listed name was used
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#screen-heatmap .heatmaplayer image, "
                                                             "#screen-heatmap .heatmaplayer .hm"), timeout=30)
    # SE × electrode: the ten listed of each on the axes
    for axis, names in (("ytick", SCREEN_LISTS[0]), ("xtick", SCREEN_LISTS[1])):
        ticks = browser.find_elements(By.CSS_SELECTOR, f"#screen-heatmap .{axis} text")
        assert sorted(t.get_attribute("textContent") for t in ticks) == sorted(names.split(", "))
    rows = browser.find_elements(By.CSS_SELECTOR, "#screen-table tbody tr td[data-dash-column='se']")
    assert len(rows) == 20
    _full_height(browser)
    _screenshot(browser, "app_screen.png")

    for button, name in (("download-csv", "screen.csv"), ("download-parquet", "screen.parquet")):
        browser.find_element(By.ID, button).click()
        _wait(browser, lambda d: (tmp_path / name).exists() and not list(tmp_path.glob("*.crdownload")), timeout=30)
    from degrade_ml.models.predictor import OUTPUT_COLUMNS
    from degrade_ml.vocab import SCREEN_COLUMNS as QUERY_COLUMNS

    listed = [names.split(", ") for names in SCREEN_LISTS]
    every = {(s, e, "" if c == "none" else c) for s in listed[0] for e in listed[1] for c in listed[2]}
    for downloaded in (pd.read_csv(tmp_path / "screen.csv", dtype={"coating": str}, keep_default_na=False),
                       pd.read_parquet(tmp_path / "screen.parquet")):
        assert list(downloaded.columns) == [*QUERY_COLUMNS, *OUTPUT_COLUMNS]  # the columns of `degrade-ml screen`
        assert set(zip(downloaded["se"], downloaded["electrode"], downloaded["coating"])) == every
        assert len(downloaded) == 1000
        p_stable = pd.to_numeric(downloaded["p_stable"])
        assert p_stable.is_monotonic_decreasing and p_stable.iloc[0] > p_stable.iloc[-1]  # ranked
