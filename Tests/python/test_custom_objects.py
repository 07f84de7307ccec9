"""A custom object created at run time through the metadata API, then served by the records REST API.

Twenty's generated client has no classes for objects it has never seen, so these requests go through the official
client's own transport (`ApiClient.param_serialize` / `call_api` / `response_deserialize`: its host, bearer
authentication, query serialization and error handling), exactly as a generated method would call them.
"""
import contextlib
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from twentycrm_client.exceptions import ApiException


def call(workspace, method, path, body=None, **query):
    """One REST request through the official client's transport; returns the parsed JSON body."""
    client = workspace.client
    params = client.param_serialize(
        method=method,
        resource_path=path,
        query_params=[(key, value) for key, value in query.items()],
        header_params={"Content-Type": "application/json", "Accept": "application/json"} if body is not None else {"Accept": "application/json"},
        body=body,
        auth_settings=["bearerAuth"],
    )
    response = client.call_api(*params)
    response.read()
    return client.response_deserialize(response, {"200": "object", "201": "object"}).data


@pytest.fixture()
def invoices(workspace):
    """The workspace with a custom object `invoice`: a CURRENCY, a SELECT, a DATE and a relation to company."""
    status, created = workspace.raw("POST", "/rest/metadata/objects", {
        "nameSingular": "invoice", "namePlural": "invoices", "labelSingular": "Invoice", "labelPlural": "Invoices",
    })
    assert status == 201, created
    invoice = created["data"]["createOneObject"]
    status, objects = workspace.raw("GET", "/rest/metadata/objects?limit=100")
    company = next(item for item in objects["data"]["objects"] if item["nameSingular"] == "company")
    fields = [
        {"type": "CURRENCY", "name": "amount", "label": "Amount"},
        {"type": "SELECT", "name": "status", "label": "Status", "defaultValue": "'DRAFT'", "options": [
            {"value": "DRAFT", "label": "Draft", "color": "gray", "position": 0},
            {"value": "SENT", "label": "Sent", "color": "blue", "position": 1},
            {"value": "PAID", "label": "Paid", "color": "green", "position": 2},
        ]},
        {"type": "DATE", "name": "dueDate", "label": "Due date"},
        {"type": "RELATION", "name": "company", "label": "Company", "settings": {"onDelete": "CASCADE"},
         "relationCreationPayload": {"targetObjectMetadataId": company["id"], "targetFieldLabel": "Invoices",
                                     "targetFieldIcon": "IconFileInvoice", "type": "MANY_TO_ONE"}},
    ]
    for field in fields:
        status, body = workspace.raw("POST", "/rest/metadata/fields", {"objectMetadataId": invoice["id"], **field})
        assert status == 201, body
    return workspace


def test_every_route_family_on_a_custom_object(invoices):
    ws = invoices
    acme = call(ws, "POST", "/companies", {"name": "Acme"})["data"]["createCompany"]

    one = call(ws, "POST", "/invoices", {
        "name": "INV-1", "amount": {"amountMicros": 1_500_000_000, "currencyCode": "EUR"}, "dueDate": "2026-12-31",
        "companyId": acme["id"],
    })["data"]["createInvoice"]
    assert one["name"] == "INV-1" and one["status"] == "DRAFT" and one["dueDate"] == "2026-12-31"
    assert one["amount"] == {"amountMicros": 1500000000, "currencyCode": "EUR"}
    assert one["createdBy"]["source"] == "API"

    batch = call(ws, "POST", "/batch/invoices", [
        {"name": f"INV-{n}", "status": "SENT", "amount": {"amountMicros": n * 1_000_000, "currencyCode": "USD"}}
        for n in range(2, 6)
    ])["data"]["createInvoices"]
    assert [item["name"] for item in batch] == ["INV-2", "INV-3", "INV-4", "INV-5"]

    page = call(ws, "GET", "/invoices", filter="status[eq]:SENT", order_by="amount.amountMicros[DescNullsLast]", limit=3)
    assert [item["name"] for item in page["data"]["invoices"]] == ["INV-5", "INV-4", "INV-3"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"] is True
    rest = call(ws, "GET", "/invoices", filter="status[eq]:SENT", order_by="amount.amountMicros[DescNullsLast]", limit=3,
                starting_after=page["pageInfo"]["endCursor"])
    assert [item["name"] for item in rest["data"]["invoices"]] == ["INV-2"]

    # Depth 1 both ways: the invoice's company, the company's invoices.
    found = call(ws, "GET", f"/invoices/{one['id']}", depth=1)["data"]["invoice"]
    assert found["company"]["name"] == "Acme"
    company = call(ws, "GET", f"/companies/{acme['id']}", depth=1)["data"]["company"]
    assert [item["name"] for item in company["invoices"]] == ["INV-1"]

    updated = call(ws, "PATCH", f"/invoices/{one['id']}", {"status": "PAID"})["data"]["updateInvoice"]
    assert updated["status"] == "PAID" and updated["name"] == "INV-1"
    many = call(ws, "PATCH", "/invoices", {"status": "PAID"}, filter="name[in]:[INV-2,INV-3]")["data"]["updateInvoices"]
    assert sorted(item["name"] for item in many) == ["INV-2", "INV-3"]

    groups = call(ws, "GET", "/invoices/groupBy", group_by='[{"status":true}]', aggregate='["sumAmountAmountMicros"]')
    by_status = {group["groupByDimensionValues"][0]: group for group in groups["data"]["invoicesGroupBy"]}
    assert by_status["PAID"]["totalCount"] == 3 and by_status["SENT"]["totalCount"] == 2
    assert by_status["SENT"]["sumAmountAmountMicros"] == 9_000_000

    soft = call(ws, "DELETE", f"/invoices/{one['id']}", soft_delete="true")["data"]["deleteInvoice"]
    assert soft["id"] == one["id"]
    with pytest.raises(ApiException) as missing:
        call(ws, "GET", f"/invoices/{one['id']}")
    assert missing.value.status == 404
    assert call(ws, "PATCH", f"/invoices/{one['id']}/restore")["data"]["restoreInvoice"]["id"] == one["id"]
    call(ws, "DELETE", "/invoices", filter="status[eq]:SENT", soft_delete="true")
    restored = call(ws, "PATCH", "/restore/invoices", filter="status[eq]:SENT")["data"]["restoreInvoices"]
    assert len(restored) == 2

    merged = call(ws, "PATCH", "/invoices/merge", {"ids": [batch[0]["id"], batch[1]["id"]], "conflictPriorityIndex": 0})
    assert merged["data"]["mergeInvoices"]["id"] == batch[0]["id"]

    # Destroying the company cascades to its invoice (onDelete CASCADE); a bulk destroy needs a filter.
    call(ws, "DELETE", f"/companies/{acme['id']}")
    with pytest.raises(ApiException) as gone:
        call(ws, "GET", f"/invoices/{one['id']}")
    assert gone.value.status == 404
    destroyed = call(ws, "DELETE", "/invoices", filter="name[startsWith]:INV")["data"]["deleteInvoices"]
    assert len(destroyed) == 3
    assert call(ws, "GET", "/invoices")["totalCount"] == 0


def test_custom_object_values_are_checked(invoices):
    for body, message in [
        ({"status": "LOST"}, "status"),
        ({"amount": {"amountMicros": 1, "currencyCode": "EURO"}}, "currencyCode"),
        ({"dueDate": "tomorrow"}, "dueDate"),
        ({"companyId": "not-a-uuid"}, "companyId"),
        ({"colour": "red"}, "colour"),
    ]:
        with pytest.raises(ApiException) as refused:
            call(invoices, "POST", "/invoices", body)
        assert refused.value.status == 400, body
        assert message in refused.value.body, refused.value.body
    assert call(invoices, "GET", "/invoices")["totalCount"] == 0


def test_open_api_document_describes_the_custom_object(invoices):
    status, document = invoices.raw("GET", "/rest/open-api/core")
    assert status == 200
    validate(document)
    assert "/invoices" in document["paths"] and "/invoices/{id}" in document["paths"]
    schemas = document["components"]["schemas"]
    invoice = next(schema for name, schema in schemas.items() if name in ("Invoice", "invoice"))
    for field in ("name", "amount", "status", "dueDate", "companyId"):
        assert field in invoice["properties"], field

    # Adding a field changes the metadata version, so the next document has it.
    objects = invoices.raw("GET", "/rest/metadata/objects?limit=100")[1]["data"]["objects"]
    invoice_id = next(item["id"] for item in objects if item["nameSingular"] == "invoice")
    status, _ = invoices.raw("POST", "/rest/metadata/fields", {"objectMetadataId": invoice_id, "type": "TEXT", "name": "reference", "label": "Reference"})
    assert status == 201
    schemas = invoices.raw("GET", "/rest/open-api/core")[1]["components"]["schemas"]
    invoice = next(schema for name, schema in schemas.items() if name in ("Invoice", "invoice"))
    assert "reference" in invoice["properties"]


def test_a_morph_relation_created_over_the_metadata_api(invoices):
    ws = invoices
    objects = ws.raw("GET", "/rest/metadata/objects?limit=100")[1]["data"]["objects"]
    ids = {item["nameSingular"]: item["id"] for item in objects}
    status, body = ws.raw("POST", "/rest/metadata/fields", {
        "objectMetadataId": ids["invoice"], "type": "MORPH_RELATION", "name": "billedTo", "label": "Billed to",
        "morphRelationsCreationPayload": [
            {"targetObjectMetadataId": ids["company"], "targetFieldLabel": "Bills", "type": "MANY_TO_ONE"},
            {"targetObjectMetadataId": ids["person"], "targetFieldLabel": "Bills", "type": "MANY_TO_ONE"},
        ],
    })
    assert status == 201, body
    status, body = ws.raw("POST", "/rest/metadata/fields", {
        "objectMetadataId": ids["invoice"], "type": "MORPH_RELATION", "name": "other", "label": "Other",
        "morphRelationsCreationPayload": {"targetObjectMetadataId": ids["company"]},
    })
    assert status == 400 and "morphRelationsCreationPayload" in body["messages"][0]

    person = call(ws, "POST", "/people", {"name": {"firstName": "Ada", "lastName": "Lovelace"}})["data"]["createPerson"]
    invoice = call(ws, "POST", "/invoices", {"name": "INV-9", "billedToPersonId": person["id"]})["data"]["createInvoice"]
    assert invoice["billedToPersonId"] == person["id"] and invoice["billedToCompanyId"] is None
    bills = call(ws, "GET", f"/people/{person['id']}", depth=1)["data"]["person"]["bills"]
    assert [bill["name"] for bill in bills] == ["INV-9"]


@contextlib.contextmanager
def generated_client(document, tmp_path, package):
    """The package openapi-python-client (PyPI) generates from `document`, importable while the block runs."""
    (tmp_path / f"{package}.json").write_text(json.dumps(document))
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")  # no formatter runs on the generated code
    generated = subprocess.run(
        [str(Path(sys.executable).with_name("openapi-python-client")), "generate", "--path", str(tmp_path / f"{package}.json"),
         "--meta", "none", "--output-path", str(tmp_path / package), "--config", str(tmp_path / "config.yaml")],
        capture_output=True, text=True, timeout=600,
    )
    assert generated.returncode == 0 and "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{package}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
            del sys.modules[name]


def test_a_client_generated_from_the_document_works(invoices, tmp_path):
    """openapi-python-client (PyPI) generates a client from the workspace's document, and that client reads and
    writes records of standard and custom objects: nullable values, composites, enums, dates and relations parse."""
    status, document = invoices.raw("GET", "/rest/open-api/core")
    assert status == 200
    with generated_client(document, tmp_path, "atrium_records_client") as module:
        models = module("models")
        client = module("client").AuthenticatedClient(
            base_url=invoices.base_url + "/rest", token=invoices.token, raise_on_unexpected_status=True)

        # A standard object: created with a composite, read back with its nulls, found by a filter holding a space.
        company = module("api.companies.create_one_company").sync(client=client, body=models.Company(
            name="Generated Inc", employees=12, domain_name=models.CompanyDomainName(primary_link_url="https://gen.test"),
        )).data.create_company
        assert company.name == "Generated Inc" and company.account_owner_id is None and company.address.address_lat is None
        assert company.created_by.source.value == "API" and company.created_at.tzinfo is not None
        found = module("api.companies.find_many_companies").sync(client=client, filter_="name[eq]:Generated Inc")
        assert found.total_count == 1 and found.data.companies[0].id == company.id
        updated = module("api.companies.update_one_company").sync(
            client=client, id=company.id, body=models.CompanyForUpdate(employees=13)).data.update_company
        assert updated.employees == 13

        # A custom object with a SELECT, a DATE, a CURRENCY and a relation, read at depth 1.
        invoice = module("api.invoices.create_one_invoice").sync(client=client, body=models.Invoice(
            name="INV-1", company_id=company.id, amount=models.InvoiceAmount(amount_micros=5_000_000, currency_code="EUR"),
        )).data.create_invoice
        assert invoice.status.value == "DRAFT" and invoice.due_date is None and invoice.amount.currency_code == "EUR"
        depth = module("models.find_one_invoice_depth").FindOneInvoiceDepth.VALUE_1
        read = module("api.invoices.find_one_invoice").sync(client=client, id=invoice.id, depth=depth).data.invoice
        assert read.company.name == "Generated Inc" and read.company.account_owner_id is None

        deleted = module("api.invoices.delete_one_invoice").sync(client=client, id=invoice.id).data.delete_invoice
        assert deleted.id == invoice.id


def test_a_client_generated_from_the_metadata_document_changes_the_data_model(workspace, tmp_path):
    """The public metadata document is valid, and a client generated from it lists objects, creates a custom object
    with a NUMBER field and a relation to company, renames it and deletes it."""
    status, document = workspace.raw("GET", "/open-api/metadata")
    assert status == 200
    validate(document)
    with generated_client(document, tmp_path, "atrium_metadata_client") as module:
        models = module("models")
        client = module("client").AuthenticatedClient(
            base_url=workspace.base_url + "/rest/metadata", token=workspace.token, raise_on_unexpected_status=True)
        objects = module("api.objects.find_many_objects").sync(client=client).data.objects
        company = next(item for item in objects if item.name_singular == "company")
        assert company.fields and company.duplicate_criteria

        gadget = module("api.objects.create_one_object").sync(client=client, body=models.Object(
            name_singular="gadget", name_plural="gadgets", label_singular="Gadget", label_plural="Gadgets",
        )).data.create_one_object
        weight = module("api.fields.create_one_field").sync(client=client, body=models.Field(
            object_metadata_id=gadget.id, type_=models.FieldType.NUMBER, name="weight", label="Weight",
        )).data.create_one_field
        assert weight.type_.value == "NUMBER" and weight.relation is None
        maker = module("api.fields.create_one_field").sync(client=client, body=models.Field(
            object_metadata_id=gadget.id, type_=models.FieldType.RELATION, name="maker", label="Maker",
            relation_creation_payload=models.FieldRelationCreationPayload(
                target_object_metadata_id=company.id, type_=models.FieldRelationCreationPayloadType.MANY_TO_ONE,
                target_field_label="Gadgets"),
        )).data.create_one_field
        assert maker.relation.target_object_metadata.name_singular == "company"

        renamed = module("api.objects.update_one_object").sync(
            client=client, id=gadget.id, body=models.ObjectForUpdate(label_plural="Gizmos")).data.update_one_object
        assert renamed.label_plural == "Gizmos"
        assert workspace.raw("GET", "/rest/gadgets")[0] == 200
        module("api.objects.delete_one_object").sync(client=client, id=gadget.id)
        assert workspace.raw("GET", "/rest/gadgets")[0] == 400
