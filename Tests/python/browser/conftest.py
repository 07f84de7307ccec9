"""Browser tests of the server-rendered web console (/console): headless Chromium driven by selenium.

The parent conftest starts the real `atrium serve` (the session-wide `server` fixture); here:

- `browser`: a fresh headless Chromium per test. After the test's body, the browser's console log is read and the test
  FAILS on any SEVERE entry (a JavaScript error, `console.error`, a resource that failed to load); the log is
  shown in a failing test's report. A test that expects an error page (a 404, a 403) declares it with `console.allow_console_error(text)`.
- `console`: helpers bound to the server and the browser: open pages, submit forms, sign up / in / out, copy the
  browser's cookies into plain HTTP requests (`requests`), take screenshots.
- `screenshot(driver, name)`: writes <repo>/.data/screenshots/<name>.png.
- `sign_up`: signs up a fresh user (unique email) through the console's form; returns (email, password).

Chromium and chromedriver: Debian's `chromium` and `chromium-driver` (scripts/test installs them on a root CI machine).
"""
import os
import shutil
import urllib.parse
import uuid
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import (
    UnexpectedAlertPresentException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / ".data" / "screenshots"
WAIT_SECONDS = 20
PASSWORD = "correct horse battery"

# SEVERE entries never held against a test: the browser asks every site for /favicon.ico on its own.
ALWAYS_ALLOWED = ("/favicon.ico - Failed to load resource",)


def _executable(name, *fallbacks):
    for candidate in (f"/usr/bin/{name}", *fallbacks):
        if os.path.exists(candidate):
            return candidate
    return shutil.which(name)


def _new_driver():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chromium = _executable("chromium")
    if chromium:
        options.binary_location = chromium
    chromedriver = _executable("chromedriver")
    if not chromium or not chromedriver:
        pytest.fail("chromium and chromedriver are needed (Debian: apt-get install chromium chromium-driver)")
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    driver.set_page_load_timeout(60)
    driver.allowed_console_errors = list(ALWAYS_ALLOWED)
    return driver


def _console_entries(driver):
    try:
        return driver.get_log("browser")
    except WebDriverException as error:  # a closed window, an alert still open: the log cannot be read
        return [{"level": "INFO", "source": "harness", "message": f"the browser console log is not readable: {error!r}"}]


def _check_console(item, driver, test_failed):
    """Adds the browser console log to the test's report (shown when it fails); fails the test on a SEVERE entry
    not allowed (unless it failed already)."""
    entries = _console_entries(driver)
    if entries:
        item.add_report_section("call", "browser console", "\n".join(
            f"{entry.get('level')} [{entry.get('source')}] {entry.get('message')}" for entry in entries))
    errors = [entry for entry in entries if entry.get("level") == "SEVERE"
              and not any(allowed in entry.get("message", "") for allowed in driver.allowed_console_errors)]
    if errors and not test_failed:
        listed = "\n".join(f"  [{entry.get('source')}] {entry.get('message')}" for entry in errors)
        pytest.fail(f"the browser console logged {len(errors)} error(s):\n{listed}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Runs the test, then reads its browser's console log: a SEVERE entry fails the test itself (not its teardown)."""
    driver = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    try:
        result = yield
    except BaseException:
        if driver is not None:
            _check_console(item, driver, test_failed=True)
        raise
    if driver is not None:
        _check_console(item, driver, test_failed=False)
    return result


@pytest.fixture()
def browser():
    """A fresh headless Chromium (selenium WebDriver) for one test."""
    driver = _new_driver()
    yield driver
    driver.quit()


def screenshot(driver, name):
    """Saves the browser's viewport as <repo>/.data/screenshots/<name>.png and returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if not driver.save_screenshot(str(path)):
        pytest.fail(f"could not write the screenshot {path}")
    return path


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    """`screenshot(driver, name)`: see the module-level function."""
    return screenshot


def _next_document_loaded(driver):
    try:
        return driver.execute_script("return !window.__atriumLeft && document.readyState === 'complete'")
    except UnexpectedAlertPresentException:
        raise
    except WebDriverException:  # the document is being replaced
        return False


class Console:
    """The console as seen from one browser, with the server's base URL."""

    def __init__(self, base_url, driver):
        self.base_url = base_url.rstrip("/")
        self.driver = driver

    # ------------------------------------------------------------------ pages
    def url(self, path):
        return self.base_url + path

    def open(self, path):
        """Opens PATH (e.g. "/console/sign-in") and waits until the document is loaded."""
        self.driver.get(self.url(path))
        self._wait_loaded()

    @property
    def path(self):
        """The current page's path (no query)."""
        return urllib.parse.urlsplit(self.driver.current_url).path

    @property
    def query(self):
        """The current page's query, parsed: {name: [values…]}."""
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.driver.current_url).query)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def body_text(self):
        return self.find("body").text

    def wait_for(self, condition, message):
        return WebDriverWait(self.driver, WAIT_SECONDS).until(condition, message)

    def wait_for_path(self, prefix):
        """Waits until the current path starts with PREFIX."""
        self.wait_for(lambda _: self.path.startswith(prefix),
                      f"expected a page under {prefix}, still on {self.driver.current_url}")

    def _wait_loaded(self):
        self.wait_for(lambda driver: driver.execute_script("return document.readyState") == "complete",
                      "the page did not finish loading")

    def fill(self, form_css, **fields):
        """Types FIELDS into the inputs named so in the form FORM_CSS."""
        form = self.find(form_css)
        for name, value in fields.items():
            field = form.find_element(By.CSS_SELECTOR, f"input[name={name}]")
            field.clear()
            field.send_keys(value)
        return form

    def submit(self, form_css, **fields):
        """Fills FIELDS in, clicks the form's submit button, waits for the next page (the form's page is replaced)."""
        form = self.fill(form_css, **fields)
        # A mark on this document's window: the next page is loaded once a window without it is complete. (Selenium's
        # staleness_of races with the navigation: chromedriver may answer "Node with given id does not belong to
        # the document" instead of "stale element".)
        self.driver.execute_script("window.__atriumLeft = true")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for(_next_document_loaded, f"submitting {form_css} did not load a new page")

    def allow_console_error(self, text):
        """The browser console may log a SEVERE entry containing TEXT in this test (an expected 404 or 403 page)."""
        self.driver.allowed_console_errors.append(text)

    def screenshot(self, name):
        return screenshot(self.driver, name)

    # ------------------------------------------------------------------ accounts
    def sign_up(self, first_name="Ada", last_name="Lovelace", workspace=None, password=PASSWORD):
        """Signs a fresh user up through form#sign-up (a unique email) and waits for the records page it leads to.
        Returns (email, password)."""
        unique = uuid.uuid4().hex[:12]
        email = f"console-{unique}@example.com"
        self.open("/console/sign-up")
        self.submit("form#sign-up", email=email, password=password, firstName=first_name, lastName=last_name,
                    workspace=workspace or f"Workspace {unique}")
        self.wait_for_path("/console/objects/")
        return email, password

    def sign_in(self, email, password, next_path=None):
        """Opens the sign-in page (with ?next= when given) and submits form#sign-in; does not check where it leads."""
        query = "?" + urllib.parse.urlencode({"next": next_path}) if next_path else ""
        self.open("/console/sign-in" + query)
        self.submit("form#sign-in", email=email, password=password)

    def sign_out(self):
        """Clicks form#sign-out's button and waits for the sign-in page."""
        self.submit("form#sign-out")
        self.wait_for_path("/console/sign-in")

    def create_record(self, plural, name):
        """Creates a record through form#new-record on /console/objects/PLURAL; returns its id (from the URL of the
        record page the form leads to)."""
        self.open(f"/console/objects/{plural}")
        self.submit("form#new-record", name=name)
        self.wait_for_path(f"/console/objects/{plural}/")
        return self.path.rsplit("/", 1)[-1]

    # ------------------------------------------------------------------ plain HTTP with the browser's cookies
    def cookie(self, name):
        """The browser's cookie NAME's value, or None."""
        found = self.driver.get_cookie(name)
        return found["value"] if found else None

    def cookie_header(self, **override):
        """A Cookie header with every browser cookie, values replaced (or added) by OVERRIDE; None drops one."""
        cookies = {cookie["name"]: cookie["value"] for cookie in self.driver.get_cookies()}
        cookies.update(override)
        return "; ".join(f"{name}={value}" for name, value in cookies.items() if value is not None)

    def http(self, method, path, cookie_header=None, data=None, headers=None):
        """One request outside the browser (no redirect followed), with the browser's cookies unless COOKIE_HEADER
        is given ("" sends none)."""
        sent = dict(headers or {})
        cookie = self.cookie_header() if cookie_header is None else cookie_header
        if cookie:
            sent["Cookie"] = cookie
        return requests.request(method, self.url(path), data=data, headers=sent, allow_redirects=False, timeout=60)


@pytest.fixture()
def console(server, browser):
    """A `Console`: the running server as seen by this test's browser."""
    return Console(server, browser)


@pytest.fixture()
def sign_up(console):
    """`sign_up(**names)` signs a fresh user up through the console form (unique email); returns (email, password)."""
    return console.sign_up
