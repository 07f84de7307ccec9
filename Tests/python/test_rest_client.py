"""Twenty's official Python client (twentycrm-api-client, unchanged from PyPI) against Atrium's REST API.

Every response is parsed by the client's strict pydantic models, so a wrong envelope, key or JSON type fails here.
"""
import pytest
import twentycrm_client
from twentycrm_client.models import (
    Company,
    CompanyForUpdate,
    CompanyAnnualRecurringRevenue,
    CompanyDomainName,
    Note,
    NoteTarget,
    Opportunity,
    Person,
    PersonEmails,
    PersonName,
    Task,
)
from twentycrm_client.exceptions import ApiException


def test_company_routes_end_to_end(workspace):
    companies = twentycrm_client.CompaniesApi(workspace.client)
    created = companies.create_one_company(Company(
        name="Acme",
        employees=120,
        domain_name=CompanyDomainName(primary_link_url="https://acme.test"),
        annual_recurring_revenue=CompanyAnnualRecurringRevenue(amount_micros=5_000_000_000, currency_code="EUR"),
        ideal_customer_profile=True,
    )).data.create_company
    assert created.name == "Acme" and created.employees == 120
    assert created.domain_name.primary_link_url == "https://acme.test"
    assert created.annual_recurring_revenue.currency_code == "EUR"
    assert created.created_by.source == "API"

    found = companies.find_one_company(str(created.id)).data.company
    assert found.id == created.id and found.ideal_customer_profile is True

    batch = companies.create_many_companies([Company(name=f"Batch {n}", employees=n) for n in range(1, 6)]).data.create_companies
    assert [company.name for company in batch] == [f"Batch {n}" for n in range(1, 6)]

    page = companies.find_many_companies(filter="employees[lte]:3", order_by="employees[DescNullsLast]", limit=2)
    assert [company.name for company in page.data.companies] == ["Batch 3", "Batch 2"]
    assert page.total_count == 3 and page.page_info.has_next_page is True
    rest = companies.find_many_companies(filter="employees[lte]:3", order_by="employees[DescNullsLast]", limit=2,
                                         starting_after=str(page.page_info.end_cursor))
    assert [company.name for company in rest.data.companies] == ["Batch 1"]
    assert rest.page_info.has_next_page is False

    updated = companies.update_one_company(str(created.id), CompanyForUpdate(employees=130)).data.update_company
    assert updated.employees == 130 and updated.name == "Acme"
    many = companies.update_many_companies(CompanyForUpdate(ideal_customer_profile=True), filter="name[startsWith]:Batch").data.update_companies
    assert len(many) == 5 and all(company.ideal_customer_profile for company in many)

    soft = companies.delete_one_company(str(created.id), soft_delete=True).data.delete_company
    assert soft.id == created.id
    with pytest.raises(ApiException) as missing:
        companies.find_one_company(str(created.id))
    assert missing.value.status == 404
    restored = companies.restore_one_company(str(created.id)).data.restore_company
    assert restored.id == created.id and restored.deleted_at is None

    deleted = companies.delete_many_companies(filter="name[startsWith]:Batch,employees[gte]:4", soft_delete=True).data.delete_companies
    assert len(deleted) == 2
    back = companies.restore_many_companies(filter="employees[gte]:4").data.restore_companies
    assert len(back) == 2
    destroyed = companies.delete_one_company(str(created.id)).data.delete_company
    assert destroyed.id == created.id
    assert companies.find_many_companies().total_count == 5


def test_people_opportunities_notes_and_tasks_with_relations(workspace):
    companies = twentycrm_client.CompaniesApi(workspace.client)
    people = twentycrm_client.PeopleApi(workspace.client)
    opportunities = twentycrm_client.OpportunitiesApi(workspace.client)
    notes = twentycrm_client.NotesApi(workspace.client)
    note_targets = twentycrm_client.NoteTargetsApi(workspace.client)
    tasks = twentycrm_client.TasksApi(workspace.client)

    company = companies.create_one_company(Company(name="Globex")).data.create_company
    person = people.create_one_person(Person(
        name=PersonName(first_name="Ada", last_name="Lovelace"),
        emails=PersonEmails(primary_email="ada@globex.test"),
        job_title="Engineer",
        company_id=company.id,
    )).data.create_person
    assert person.name.first_name == "Ada" and person.company_id == company.id

    deal = opportunities.create_one_opportunity(Opportunity(
        name="Big deal", stage="PROPOSAL", company_id=company.id, point_of_contact_id=person.id,
    )).data.create_opportunity
    assert deal.stage == "PROPOSAL"

    with_relations = companies.find_one_company(str(company.id), depth=1).data.company
    assert [p.id for p in with_relations.people] == [person.id]
    assert [o.id for o in with_relations.opportunities] == [deal.id]
    contact = people.find_many_people(filter="name.firstName[eq]:Ada", depth=1).data.people[0]
    assert contact.company.name == "Globex"

    note = notes.create_one_note(Note(title="Kick-off")).data.create_note
    target = note_targets.create_one_note_target(NoteTarget(note_id=note.id, target_company=str(company.id))).data.create_note_target
    assert target.note_id == note.id
    status, body = workspace.raw("GET", f"/rest/noteTargets/{target.id}")
    assert status == 200 and body["data"]["noteTarget"]["targetCompanyId"] == str(company.id)
    task = tasks.create_one_task(Task(title="Call Ada", status="TODO")).data.create_task
    assert task.status == "TODO"
    assert tasks.find_many_tasks(filter="status[eq]:TODO").total_count == 1


def test_errors_come_in_twentys_shape(workspace):
    companies = twentycrm_client.CompaniesApi(workspace.client)
    with pytest.raises(ApiException) as bad_filter:
        companies.find_many_companies(filter="employees[gte]:many")
    assert bad_filter.value.status == 400
    status, body = workspace.raw("GET", "/rest/company")
    assert status == 400 and body["error"] == "BadRequestException" and "companies" in body["messages"][0]
    status, body = workspace.raw("POST", "/rest/opportunities", {"stage": "NOT_A_STAGE"})
    assert status == 400 and body["statusCode"] == 400


def test_a_key_of_another_workspace_sees_nothing(server, workspace):
    from conftest import Workspace
    other = Workspace(server)
    try:
        company = twentycrm_client.CompaniesApi(workspace.client).create_one_company(Company(name="Secret")).data.create_company
        foreign = twentycrm_client.CompaniesApi(other.client)
        assert foreign.find_many_companies().total_count == 0
        with pytest.raises(ApiException) as hidden:
            foreign.find_one_company(str(company.id))
        assert hidden.value.status == 404
    finally:
        other.delete()


def test_group_by_duplicates_and_merge(workspace):
    import json
    from twentycrm_client.models import FindCompanyDuplicatesRequest, MergeManyCompaniesRequest

    companies = twentycrm_client.CompaniesApi(workspace.client)
    created = companies.create_many_companies([
        Company(name="Acme", employees=10),
        Company(name="Acme", employees=20, domain_name=CompanyDomainName(primary_link_url="acme.test")),
        Company(name="Globex", employees=30),
    ]).data.create_companies

    groups = companies.group_by_companies(
        group_by=json.dumps([{"name": True}]), aggregate=json.dumps(["sumEmployees", "countNotEmptyId"]),
        order_by="name", include_records_sample=True, order_by_for_records="employees[DescNullsLast]",
    ).data.companies_group_by
    assert [group.group_by_dimension_values for group in groups] == [["Acme"], ["Globex"]]
    assert groups[0].additional_properties["sumEmployees"] == 30
    assert groups[0].additional_properties["totalCount"] == 2
    assert [record.employees for record in groups[0].records] == [20, 10]

    duplicates = companies.find_company_duplicates(FindCompanyDuplicatesRequest(ids=[created[0].id])).data
    assert [record.id for record in duplicates[0].company_duplicates] == [created[1].id]
    by_data = companies.find_company_duplicates(FindCompanyDuplicatesRequest(data=[Company(name="Globex")])).data
    assert by_data[0].total_count == 1

    merged = companies.merge_many_companies(MergeManyCompaniesRequest(
        ids=[created[0].id, created[1].id], conflict_priority_index=0,
    )).data.merge_companies
    assert merged.id == created[0].id and merged.employees == 10
    assert merged.domain_name.primary_link_url == "acme.test"
    assert companies.find_many_companies().total_count == 2


def test_open_api_document_is_valid_and_describes_the_workspace(workspace):
    from openapi_spec_validator import validate

    status, document = workspace.raw("GET", "/rest/open-api/core")
    assert status == 200
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert {"/companies", "/companies/{id}", "/batch/companies", "/companies/duplicates", "/companies/groupBy",
            "/companies/merge", "/restore/companies", "/restore/companies/{id}"} <= set(document["paths"])
    company = document["components"]["schemas"]["CompanyForResponse"]["properties"]
    # A nullable field says so (OpenAPI 3.1), a required one does not; a to-one relation may be null.
    assert company["employees"]["type"] == ["integer", "null"] and company["id"]["type"] == "string"
    assert company["accountOwner"]["oneOf"][1] == {"type": "null"}
    assert company["people"]["items"]["$ref"] == "#/components/schemas/PersonForResponse"
    stage = document["components"]["schemas"]["Opportunity"]["properties"]["stage"]
    assert stage["enum"] == ["NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER"]
    same_status, same = workspace.raw("GET", "/open-api/core")
    assert same_status == 200 and same == document
