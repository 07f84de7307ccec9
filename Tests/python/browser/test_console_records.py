"""Browser tests of the console's records pages: the data model settings (a custom object and a SELECT field),
records created, filtered and saved as a view, cells edited in place (a valid and an invalid value), a kanban card
dragged to another column, and a CSV exported and imported."""
import csv
import io
import json
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions


def _rows(console):
    return console.find_all("table#records tbody tr[data-id]")


def _cell(console, record_id, field):
    return console.find(f'tr[data-id="{record_id}"] td[data-field="{field}"]')


def _api(console, method, path, body=None):
    """A records API call with the browser's session cookie and its CSRF token (as the console's scripts send it)."""
    csrf = console.find("body").get_attribute("data-csrf")
    response = console.http(method, path, data=None if body is None else json.dumps(body),
                            headers={"Content-Type": "application/json", "X-CSRF-Token": csrf})
    return response.status_code, response.json() if response.content else None


def test_custom_object_select_field_filter_and_saved_view(console, screenshot):
    console.sign_up(workspace="Data model")
    console.open("/console/settings/data-model")
    console.submit("form#new-object", labelSingular="Vessel", labelPlural="Vessels")
    console.wait_for_path("/console/settings/data-model/vessels")
    form = console.fill("form#new-field", label="Hull")
    form.find_element(By.CSS_SELECTOR, "select[name=type] option[value=SELECT]").click()
    form.find_element(By.CSS_SELECTOR, "textarea[name=options]").send_keys("Steel\nWood\nCarbon")
    console.submit("form#new-field")
    assert console.find('table#fields tr[data-field="hull"]').text.count("Steel") == 1
    screenshot(console.driver, "data-model")

    console.open("/console/objects/vessels")
    ids = {}
    for name in ("Aurora", "Boreas", "Calypso"):
        ids[name] = console.create_record("vessels", name)
    # Each record's hull, set through the records API with the session cookie.
    for name, hull in (("Aurora", "STEEL"), ("Boreas", "WOOD"), ("Calypso", "STEEL")):
        status, _ = _api(console, "PATCH", f"/rest/vessels/{ids[name]}", {"hull": hull})
        assert status == 200

    console.open("/console/objects/vessels")
    assert len(_rows(console)) == 3
    form = console.find("form#add-filter")
    form.find_element(By.CSS_SELECTOR, "select[name=filter-field] option[value=hull]").click()
    form.find_element(By.CSS_SELECTOR, "select[name=filter-operand] option[value=IS]").click()
    console.submit("form#add-filter", **{"filter-value": "STEEL"})
    shown = {row.get_attribute("data-id") for row in _rows(console)}
    assert shown == {ids["Aurora"], ids["Calypso"]}

    console.submit("form#save-view", name="Steel hulls")
    tab = console.find("nav.views a.view-tab.current")
    assert tab.text == "Steel hulls"
    # The saved view filters on its own, with no page filter in the URL.
    assert "f=" not in console.driver.current_url
    assert {row.get_attribute("data-id") for row in _rows(console)} == {ids["Aurora"], ids["Calypso"]}


def test_edit_cells_in_place_valid_and_invalid(console, screenshot):
    console.sign_up(workspace="Editing")
    company = console.create_record("companies", "Initech")
    console.open("/console/objects/companies")

    cell = _cell(console, company, "employees")
    cell.click()
    editor = console.wait_for(lambda driver: cell.find_element(By.CSS_SELECTOR, "input"), "no editor opened")
    editor.send_keys("250", Keys.ENTER)
    console.wait_for(lambda driver: "250" in _cell(console, company, "employees").text and
                     not _cell(console, company, "employees").find_elements(By.CSS_SELECTOR, "input"), "the cell did not save")
    status, body = _api(console, "GET", f"/rest/companies/{company}")
    assert body["data"]["company"]["employees"] == 250

    # An invalid value: the API refuses it and the message shows on the cell; nothing is written.
    console.open(f"/console/objects/companies/{company}")
    cell = console.find('table#record td[data-field="employees"]')
    cell.click()
    editor = console.wait_for(lambda driver: cell.find_element(By.CSS_SELECTOR, "input"), "no editor opened")
    editor.clear()
    editor.send_keys("twelve", Keys.ENTER)
    error = console.wait_for(lambda driver: cell.find_element(By.CSS_SELECTOR, ".cell-error"), "no error on the cell")
    assert error.text
    assert "invalid" in cell.get_attribute("class")
    screenshot(console.driver, "record")
    status, body = _api(console, "GET", f"/rest/companies/{company}")
    assert body["data"]["company"]["employees"] == 250

    # A server-side refusal, sent as the console's script sends it.
    status, body = _api(console, "PATCH", f"/rest/companies/{company}", {"employees": "many"})
    assert status == 400 and body["messages"]


DRAG_AND_DROP = """
const [card, column] = arguments;
const data = new DataTransfer();
card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
column.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
column.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
card.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));
"""


def test_kanban_drag_changes_the_stage(console, screenshot):
    console.sign_up(workspace="Pipeline")
    deal = console.create_record("opportunities", "Big deal")
    console.open("/console/objects/opportunities/kanban")
    card = console.find(f'.card-item[data-id="{deal}"]')
    source = card.find_element(By.XPATH, "ancestor::section[contains(@class, 'kanban-column')]")
    target = console.find('.kanban-column[data-value="PROPOSAL"]')
    assert source.get_attribute("data-value") != "PROPOSAL"
    console.driver.execute_script(DRAG_AND_DROP, card, target)
    console.wait_for(lambda driver: _api(console, "GET", f"/rest/opportunities/{deal}")[1]["data"]["opportunity"]["stage"] == "PROPOSAL",
                     "the drop did not change the stage")
    console.open("/console/objects/opportunities/kanban")
    assert console.find('.kanban-column[data-value="PROPOSAL"] .count').text == "1"
    assert console.find_all(f'.kanban-column[data-value="PROPOSAL"] .card-item[data-id="{deal}"]')
    screenshot(console.driver, "kanban")


def test_csv_export_and_import(console, screenshot):
    console.sign_up(workspace="CSV")
    console.create_record("companies", "Exported Co")
    console.open("/console/objects/companies")
    href = console.find("a#export-csv").get_attribute("href")
    response = console.http("GET", href.replace(console.base_url, ""))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["Name"] for row in rows] == ["Exported Co"]

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as file:
        file.write("Name,Employees\nImported One,10\nImported Two,not a number\nImported Three,30\n")
        path = file.name
    console.open("/console/objects/companies/import")
    console.find("input#csv-file").send_keys(path)
    console.wait_for(lambda driver: not console.find("table#csv-mapping").get_attribute("hidden"), "no mapping preview")
    headers = [cell.text for cell in console.find_all("table#csv-mapping tbody tr td:first-child")]
    assert headers == ["Name", "Employees"]
    console.find("button#csv-dry-run").click()
    console.wait_for(lambda driver: "would be" in console.find("#csv-status").text, "the dry run did not report")
    assert "1 refused" in console.find("#csv-status").text
    assert "not a number" in console.find("table#csv-errors").text
    console.find("button#csv-import-start").click()
    console.wait_for(lambda driver: " were" in console.find("#csv-status").text, "the import did not report")
    assert "2 created" in console.find("#csv-status").text
    screenshot(console.driver, "import")
    console.open("/console/objects/companies")
    names = {row.find_element(By.CSS_SELECTOR, 'td[data-field="name"]').text for row in _rows(console)}
    assert {"Exported Co", "Imported One", "Imported Three"} <= names
    screenshot(console.driver, "table")
