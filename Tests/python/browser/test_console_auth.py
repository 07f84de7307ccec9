"""The web console's accounts and sessions, in a real browser: sign up / in / out, the session cookie, CSRF, the
destination kept across sign-in, HTML escaping, and workspace isolation.

Contract: GET /console/sign-in (form#sign-in), /console/sign-up (form#sign-up); a signed-in page has nav#sidebar,
#member-name, #workspace-name and form#sign-out; the session cookie is `atrium_session` (HttpOnly, SameSite=Lax,
Path=/); every POST under /console needs a valid `csrf` form field (or X-CSRF-Token header), else 403; a page asked
for without a session redirects to /console/sign-in?next=<path+query>; /console/objects/<plural> lists records in
table#records, form#new-record creates one and leads to /console/objects/<plural>/<id> (h1#record-title).
"""
import re
import urllib.parse
import uuid

import pytest
import requests
from selenium.common.exceptions import (
    NoAlertPresentException,
    UnexpectedAlertPresentException,
)

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
REDIRECTS = (302, 303)


def _location_path(response):
    """The path and parsed query a redirect points to (checked to stay on the same server)."""
    assert response.status_code in REDIRECTS, f"expected a redirect, got {response.status_code}: {response.text[:300]}"
    location = urllib.parse.urlsplit(response.headers["Location"])
    return location.path, urllib.parse.parse_qs(location.query)


def _redirects_to_sign_in(response):
    return response.status_code in REDIRECTS and _location_path(response)[0] == "/console/sign-in"


def _assert_no_alert(driver):
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    except UnexpectedAlertPresentException as error:
        pytest.fail(f"a JavaScript alert opened: {error.alert_text!r}")
    pytest.fail(f"a JavaScript alert is open: {alert.text!r}")


def _load_without_alert(console, path):
    """Opens PATH and fails if a JavaScript alert opens while it loads."""
    try:
        console.driver.get(console.url(path))
    except UnexpectedAlertPresentException as error:
        pytest.fail(f"a JavaScript alert opened on {path}: {error.alert_text!r}")
    _assert_no_alert(console.driver)


# ---------------------------------------------------------------------------------------------------- the pages


def test_sign_in_page_has_its_form_and_a_sign_up_link(console, screenshot):
    console.open("/console/sign-in")
    form = console.find("form#sign-in")
    assert form.find_element("css selector", "input[name=email]").is_displayed()
    assert form.find_element("css selector", "input[name=password]").get_attribute("type") == "password"
    for hidden in ("csrf", "next"):
        assert form.find_element("css selector", f"input[name={hidden}]").get_attribute("type") == "hidden", hidden
    assert form.find_element("css selector", "input[name=csrf]").get_attribute("value"), "the csrf field is empty"
    assert form.find_element("css selector", "button[type=submit]").is_displayed()
    assert console.find_all("a[href='/console/sign-up']"), "no link to /console/sign-up"
    path = screenshot(console.driver, "sign-in")
    assert path.stat().st_size > 0

    console.find("a[href='/console/sign-up']").click()
    console.wait_for_path("/console/sign-up")
    form = console.find("form#sign-up")
    for name in ("email", "password", "firstName", "lastName", "workspace"):
        assert form.find_element("css selector", f"input[name={name}]").is_displayed(), name
    assert form.find_element("css selector", "input[name=csrf]").get_attribute("value")


# ---------------------------------------------------------------------------------------------------- sign up, in, out


def test_sign_up_lands_on_records_and_sign_out_returns_to_sign_in(console):
    workspace = f"Lovelace Analytical {uuid.uuid4().hex[:8]}"
    console.sign_up(first_name="Ada", last_name="Lovelace", workspace=workspace)
    assert console.path == "/console/objects/companies"
    member = console.find("#member-name")
    assert member.is_displayed() and "Ada" in member.text
    assert workspace in console.find("#workspace-name").text
    for plural in ("companies", "people", "opportunities"):
        assert console.find_all(f"nav#sidebar a[data-object='{plural}']"), f"no sidebar link to {plural}"

    console.sign_out()
    assert console.path == "/console/sign-in"
    console.open("/console/objects/companies")
    assert console.path == "/console/sign-in", "signed out, the records page still opens"


def test_sign_up_refuses_a_short_password(console):
    console.allow_console_error("/console/sign-up - Failed to load resource")  # the form answered with a 4xx
    console.open("/console/sign-up")
    password = console.find("form#sign-up input[name=password]")
    minimum = password.get_attribute("minlength")
    assert minimum and int(minimum) >= 8, f"the browser does not ask for 8 characters (minlength={minimum})"
    # The server must refuse it too: the browser's own check is taken away.
    console.driver.execute_script("arguments[0].removeAttribute('minlength')", password)
    console.submit("form#sign-up", email=f"short-{uuid.uuid4().hex[:12]}@example.com", password="seven77",
                   firstName="Short", lastName="Password", workspace="Short password")
    assert console.path.startswith("/console/sign-up"), f"a 7-character password was accepted: {console.path}"
    assert console.find(".error").text.strip(), "no .error message"
    console.open("/console/objects/companies")
    assert console.path == "/console/sign-in"


def test_wrong_password_shows_an_error_then_the_right_one_signs_in(console):
    console.allow_console_error("/console/sign-in - Failed to load resource")  # the form answered with a 4xx
    email, password = console.sign_up()
    console.sign_out()

    console.sign_in(email, password + "-wrong")
    assert console.path == "/console/sign-in"
    error = console.find(".error")
    assert error.is_displayed() and error.text.strip(), "no .error message for a wrong password"
    console.open("/console/objects/companies")
    assert console.path == "/console/sign-in", "a wrong password signed in"

    console.sign_in(email, password)
    console.wait_for_path("/console/objects/")
    assert console.find("#member-name").is_displayed()


# ---------------------------------------------------------------------------------------------------- the session cookie


def test_session_cookie_is_renewed_at_sign_in_and_dead_after_sign_out(console):
    email, password = console.sign_up()
    console.sign_out()
    console.open("/console/sign-in")
    before = console.cookie("atrium_session")  # absent, or an anonymous session's

    console.sign_in(email, password)
    console.wait_for_path("/console/objects/")
    after = console.cookie("atrium_session")
    assert after, "no atrium_session cookie after sign-in"
    assert after != before, "the session cookie kept its value across sign-in (session fixation)"
    if before:
        response = console.http("GET", "/console/objects/companies", cookie_header=f"atrium_session={before}")
        assert _redirects_to_sign_in(response), "the session cookie from before sign-in gives access"

    # The cookie alone is the session: it opens the records page outside the browser.
    response = console.http("GET", "/console/objects/companies", cookie_header=f"atrium_session={after}")
    assert response.status_code == 200, response.status_code

    console.sign_out()
    response = console.http("GET", "/console/objects/companies", cookie_header=f"atrium_session={after}")
    assert _redirects_to_sign_in(response), f"the signed-out session still answers: {response.status_code}"
    console.driver.delete_all_cookies()
    console.driver.add_cookie({"name": "atrium_session", "value": after, "path": "/"})
    console.open("/console/objects/companies")
    assert console.path == "/console/sign-in", "the browser, given the old cookie back, is still signed in"


def test_a_planted_session_cookie_is_not_adopted(console):
    email, password = console.sign_up()
    console.sign_out()
    planted = "planted-" + uuid.uuid4().hex
    console.driver.delete_all_cookies()
    console.driver.add_cookie({"name": "atrium_session", "value": planted, "path": "/"})

    console.sign_in(email, password)
    console.wait_for_path("/console/objects/")
    assert console.cookie("atrium_session") not in (None, planted), "sign-in kept the planted session cookie"
    response = console.http("GET", "/console/objects/companies", cookie_header=f"atrium_session={planted}")
    assert _redirects_to_sign_in(response), "the planted cookie value gives access"


def test_session_cookie_is_http_only_same_site_lax(console):
    console.sign_up()
    cookie = console.driver.get_cookie("atrium_session")
    assert cookie is not None, "no atrium_session cookie"
    assert cookie.get("httpOnly") is True, cookie
    assert cookie.get("sameSite") == "Lax", cookie
    assert cookie.get("path") == "/", cookie
    assert "atrium_session" not in console.driver.execute_script("return document.cookie"), "script can read it"


# ---------------------------------------------------------------------------------------------------- CSRF


def test_new_record_needs_the_csrf_token(console):
    console.sign_up()
    console.open("/console/objects/companies")
    token = console.find("form#new-record input[name=csrf]").get_attribute("value")
    assert token, "form#new-record has no csrf value"
    name = f"CSRF probe {uuid.uuid4().hex[:8]}"

    for data in ({"name": name}, {"name": name, "csrf": ""}, {"name": name, "csrf": "x" + token}):
        response = console.http("POST", "/console/objects/companies/new", data=data)
        assert response.status_code == 403, f"{data}: {response.status_code}"
        assert "text/html" in response.headers.get("Content-Type", ""), response.headers.get("Content-Type")
    listing = console.http("GET", "/console/objects/companies")
    assert listing.status_code == 200 and name not in listing.text, "a POST without a valid csrf created a record"

    response = console.http("POST", "/console/objects/companies/new", data={"name": name, "csrf": token})
    path, _ = _location_path(response)
    assert re.fullmatch(f"/console/objects/companies/{UUID}", path), path
    console.open(path)
    assert console.find("h1#record-title").text == name


def test_new_record_accepts_the_csrf_token_as_a_header(console):
    """The contract: a POST under /console carries a valid `csrf` form field OR X-CSRF-Token header."""
    console.sign_up()
    console.open("/console/objects/companies")
    token = console.find("form#new-record input[name=csrf]").get_attribute("value")
    name = f"CSRF header {uuid.uuid4().hex[:8]}"
    response = console.http("POST", "/console/objects/companies/new", data={"name": name},
                            headers={"X-CSRF-Token": "x" + token})
    assert response.status_code == 403, f"a wrong X-CSRF-Token was accepted: {response.status_code}"
    response = console.http("POST", "/console/objects/companies/new", data={"name": name},
                            headers={"X-CSRF-Token": token})
    path, _ = _location_path(response)
    assert re.fullmatch(f"/console/objects/companies/{UUID}", path), path


def test_sign_out_needs_the_csrf_token(console):
    console.sign_up()
    token = console.find("form#sign-out input[name=csrf]").get_attribute("value")
    assert token, "form#sign-out has no csrf value"

    response = console.http("POST", "/console/sign-out", data={})
    assert response.status_code == 403, response.status_code
    assert console.http("GET", "/console/objects/companies").status_code == 200, "a refused sign-out ended the session"

    response = console.http("POST", "/console/sign-out", data={"csrf": token})
    assert _location_path(response)[0] == "/console/sign-in"
    assert _redirects_to_sign_in(console.http("GET", "/console/objects/companies")), "signed out, still signed in"


def test_sign_in_token_is_valid_only_with_its_own_pre_session_cookie(console):
    email, password = console.sign_up()
    console.sign_out()
    console.driver.delete_all_cookies()
    console.open("/console/sign-in")
    token = console.find("form#sign-in input[name=csrf]").get_attribute("value")
    assert console.cookie("atrium_csrf"), "no atrium_csrf cookie on the sign-in page"
    form = {"email": email, "password": password, "csrf": token, "next": ""}

    # Another browser (no cookie, or a pre-session of its own) cannot post this form's token.
    response = console.http("POST", "/console/sign-in", data=form, cookie_header="")
    assert response.status_code == 403, f"without atrium_csrf: {response.status_code}"
    other = console.http("GET", "/console/sign-in", cookie_header="").cookies.get("atrium_csrf")
    assert other, "a fresh GET of the sign-in page set no atrium_csrf cookie"
    response = console.http("POST", "/console/sign-in", data=form, cookie_header=f"atrium_csrf={other}")
    assert response.status_code == 403, f"with another pre-session: {response.status_code}"

    # This browser's cookies and token sign in (to the console's home: no next).
    response = console.http("POST", "/console/sign-in", data=form)
    path, _ = _location_path(response)
    assert path.startswith("/console") and path != "/console/sign-in", path


# ---------------------------------------------------------------------------------------------------- next=


def test_a_missing_session_keeps_the_destination(console):
    email, password = console.sign_up()
    console.driver.delete_all_cookies()

    console.open("/console/objects/people")
    assert console.path == "/console/sign-in"
    assert console.query.get("next") == ["/console/objects/people"], console.driver.current_url
    assert console.find("form#sign-in input[name=next]").get_attribute("value") == "/console/objects/people"

    console.submit("form#sign-in", email=email, password=password)
    console.wait_for_path("/console/objects/")
    assert console.path == "/console/objects/people"


def test_the_redirect_to_sign_in_keeps_the_query(server):
    response = requests.get(server + "/console/objects/people?view=all&page=2", allow_redirects=False, timeout=60)
    path, query = _location_path(response)
    assert path == "/console/sign-in"
    assert query.get("next") == ["/console/objects/people?view=all&page=2"], response.headers["Location"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/console/objects/companies"])
def test_next_never_leaves_the_server(console, target):
    email, password = console.sign_up()
    console.sign_out()
    console.sign_in(email, password, next_path=target)
    here = urllib.parse.urlsplit(console.driver.current_url)
    assert here.netloc == urllib.parse.urlsplit(console.base_url).netloc, f"next={target} led to {here.geturl()}"
    assert console.path.startswith("/console/"), console.driver.current_url


# ---------------------------------------------------------------------------------------------------- escaping


def test_a_company_name_with_markup_is_shown_as_text(console):
    payload = "<script>alert(1)</script>"
    console.sign_up()
    console.open("/console/objects/companies")
    try:
        console.submit("form#new-record", name=payload)
        console.wait_for_path("/console/objects/companies/")
    except UnexpectedAlertPresentException as error:
        pytest.fail(f"a JavaScript alert opened on the record page: {error.alert_text!r}")
    _assert_no_alert(console.driver)
    record_id = console.path.rsplit("/", 1)[-1]
    assert console.find("h1#record-title").text == payload

    _load_without_alert(console, "/console/objects/companies")
    cells = console.find_all(f"table#records tr[data-id='{record_id}'] td[data-field='name']")
    assert cells and cells[0].text == payload, [cell.text for cell in cells]
    assert payload in console.body_text()
    assert not console.driver.find_elements("xpath", "//script[contains(., 'alert(1)')]"), "the name became a script"


# ---------------------------------------------------------------------------------------------------- workspaces


def test_another_workspaces_record_is_not_found(console):
    console.allow_console_error("Failed to load resource: the server responded with a status of 404")
    secret = f"Workspace A secret {uuid.uuid4().hex[:8]}"
    console.sign_up(first_name="Alice", workspace="Workspace A")
    company_id = console.create_record("companies", secret)
    assert re.fullmatch(UUID, company_id), company_id
    assert console.find("h1#record-title").text == secret
    console.sign_out()

    console.sign_up(first_name="Bob", workspace="Workspace B")
    console.open(f"/console/objects/companies/{company_id}")
    body = console.body_text()
    assert "not found" in body.lower(), body[:500]
    assert secret not in console.driver.page_source
    response = console.http("GET", f"/console/objects/companies/{company_id}")
    assert response.status_code == 404 and secret not in response.text, response.status_code

    console.open("/console/objects/companies")
    assert secret not in console.driver.page_source, "workspace B lists workspace A's company"
    assert not console.find_all(f"tr[data-id='{company_id}']")


def test_an_unknown_record_is_not_found(console):
    console.allow_console_error("Failed to load resource: the server responded with a status of 404")
    console.sign_up()
    unknown = str(uuid.uuid4())
    console.open(f"/console/objects/companies/{unknown}")
    assert "not found" in console.body_text().lower()
    assert console.http("GET", f"/console/objects/companies/{unknown}").status_code == 404
