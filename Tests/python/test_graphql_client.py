"""A real GraphQL client (`gql` from PyPI) against Atrium's records GraphQL API.

The schema is fetched by introspection (fetch_schema_from_transport=True), so every query below is validated by the
client against the schema Atrium serves before it is sent: a wrong type, argument or field name fails here.
"""
import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport


def _client(workspace, token=None):
    transport = RequestsHTTPTransport(
        url=workspace.base_url + "/graphql",
        headers={"Authorization": "Bearer " + (token or workspace.token)},
        timeout=30,
        retries=0,
    )
    return Client(transport=transport, fetch_schema_from_transport=True)


def test_schema_is_introspected_with_twentys_names(workspace):
    with _client(workspace) as session:
        schema = session.client.schema
        for name in ["Company", "CompanyConnection", "CompanyEdge", "CompanyFilterInput", "CompanyOrderByInput",
                     "CompanyCreateInput", "CompanyUpdateInput", "PageInfo", "FullName", "Currency", "Links",
                     "StringFilter", "UUIDFilter", "FilterIs", "OrderByDirection", "UUID", "DateTime", "RawJSONScalar"]:
            assert schema.get_type(name) is not None, name
        query_fields = schema.query_type.fields
        assert {"companies", "company", "people", "person", "opportunities", "opportunity"} <= set(query_fields)
        assert set(query_fields["companies"].args) >= {"filter", "orderBy", "first", "last", "before", "after"}
        mutation_fields = schema.mutation_type.fields
        for verb in ["create", "update", "delete", "destroy", "restore"]:
            assert verb + "Company" in mutation_fields and verb + "Companies" in mutation_fields
        assert "sumEmployees" in schema.get_type("CompanyConnection").fields


def test_every_mutation_and_nested_reads(workspace):
    with _client(workspace) as session:
        created = session.execute(gql("""
            mutation Create($data: [CompanyCreateInput!]!) { createCompanies(data: $data) { id name employees } }
        """), variable_values={"data": [{"name": "Acme", "employees": 100}, {"name": "Globex", "employees": 50}]})
        acme, globex = created["createCompanies"]
        assert acme["name"] == "Acme" and globex["employees"] == 50

        person = session.execute(gql("""
            mutation($companyId: UUID!) {
              createPerson(data: {name: {firstName: "Ada", lastName: "Lovelace"}, jobTitle: "CTO", companyId: $companyId,
                                  emails: {primaryEmail: "ada@acme.test"}}) { id name { firstName lastName } company { name } }
            }
        """), variable_values={"companyId": acme["id"]})["createPerson"]
        assert person["company"]["name"] == "Acme" and person["name"]["lastName"] == "Lovelace"

        session.execute(gql("""
            mutation($contact: UUID!, $company: UUID!) {
              createOpportunity(data: {name: "Big deal", stage: PROPOSAL, pointOfContactId: $contact, companyId: $company,
                                       amount: {amountMicros: 9000000, currencyCode: "USD"}}) { id stage }
            }
        """), variable_values={"contact": person["id"], "company": acme["id"]})

        page = session.execute(gql("""
            query Nested {
              companies(filter: {employees: {gte: 60}}, orderBy: [{name: AscNullsFirst}], first: 10) {
                totalCount sumEmployees
                pageInfo { hasNextPage endCursor }
                edges { cursor node {
                  name
                  people(filter: {jobTitle: {eq: "CTO"}}, first: 5) { totalCount edges { node {
                    emails { primaryEmail }
                    pointOfContactForOpportunities(filter: {stage: {in: ["PROPOSAL"]}}) { edges { node { name amount { amountMicros } } } }
                  } } }
                } }
              }
            }
        """))["companies"]
        assert page["totalCount"] == 1 and page["sumEmployees"] == 100 and page["pageInfo"]["hasNextPage"] is False
        cto = page["edges"][0]["node"]["people"]["edges"][0]["node"]
        assert cto["emails"]["primaryEmail"] == "ada@acme.test"
        assert cto["pointOfContactForOpportunities"]["edges"][0]["node"]["name"] == "Big deal"

        updated = session.execute(gql('mutation($id: UUID!) { updateCompany(id: $id, data: {employees: 120}) { employees } }'),
                                  variable_values={"id": acme["id"]})
        assert updated["updateCompany"]["employees"] == 120
        many = session.execute(gql('mutation { updateCompanies(filter: {name: {in: ["Acme", "Globex"]}}, data: {idealCustomerProfile: true}) { id } }'))
        assert len(many["updateCompanies"]) == 2

        session.execute(gql('mutation($id: UUID!) { deleteCompany(id: $id) { id } }'), variable_values={"id": globex["id"]})
        assert session.execute(gql("{ companies { totalCount } }"))["companies"]["totalCount"] == 1
        session.execute(gql('mutation($id: UUID!) { restoreCompany(id: $id) { id } }'), variable_values={"id": globex["id"]})
        deleted = session.execute(gql('mutation { deleteCompanies(filter: {name: {eq: "Globex"}}) { name } }'))
        assert [c["name"] for c in deleted["deleteCompanies"]] == ["Globex"]
        restored = session.execute(gql('mutation { restoreCompanies(filter: {name: {eq: "Globex"}}) { name } }'))
        assert len(restored["restoreCompanies"]) == 1
        session.execute(gql('mutation($id: UUID!) { destroyCompany(id: $id) { id } }'), variable_values={"id": globex["id"]})
        destroyed = session.execute(gql('mutation { destroyCompanies(filter: {name: {eq: "Acme"}}) { name } }'))
        assert [c["name"] for c in destroyed["destroyCompanies"]] == ["Acme"]
        assert session.execute(gql("{ companies { totalCount } }"))["companies"]["totalCount"] == 0


def test_errors_carry_codes(workspace):
    with _client(workspace) as session:
        with pytest.raises(TransportQueryError) as error:
            session.execute(gql('mutation { createPerson(data: {emails: {primaryEmail: "not-an-email"}}) { id } }'))
        assert error.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
        with pytest.raises(TransportQueryError) as error:
            session.execute(gql('{ company(filter: {id: {eq: "00000000-0000-4000-8000-000000000000"}}) { id } }'))
        assert error.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


def test_workspaces_do_not_see_each_other(workspace, server):
    from conftest import Workspace

    other = Workspace(server)
    try:
        with _client(workspace) as session:
            session.execute(gql('mutation { createCompany(data: {name: "Mine"}) { id } }'))
        with _client(other) as session:
            assert session.execute(gql("{ companies { totalCount } }"))["companies"]["totalCount"] == 0
    finally:
        other.delete()


def test_search_finds_records_across_objects(workspace):
    with _client(workspace) as session:
        session.execute(gql("""
            mutation {
              createCompany(data: {name: "Zephyr Labs"}) { id }
              createPerson(data: {name: {firstName: "Zoë", lastName: "Zephyrine"}}) { id }
              createOpportunity(data: {name: "Zephyr renewal"}) { id }
              createTask(data: {title: "Call Bob"}) { id }
            }
        """))
        found = session.execute(gql("""
            query($text: String!) {
              search(searchInput: $text, limit: 10) {
                edges { node { recordId objectNameSingular label tsRankCD } cursor }
                pageInfo { hasNextPage endCursor }
              }
            }
        """), variable_values={"text": "zeph"})["search"]
        hits = {(edge["node"]["objectNameSingular"], edge["node"]["label"]) for edge in found["edges"]}
        assert hits == {("company", "Zephyr Labs"), ("person", "Zoë Zephyrine"), ("opportunity", "Zephyr renewal")}
        assert found["pageInfo"]["hasNextPage"] is False
        only_people = session.execute(gql("""
            { search(searchInput: "zoe", limit: 5, includedObjectNameSingulars: ["person"]) { edges { node { label } } } }
        """))["search"]["edges"]
        assert [edge["node"]["label"] for edge in only_people] == ["Zoë Zephyrine"]


@pytest.fixture()
def projects(workspace):
    """Custom objects made through the metadata API: `project` (NUMBER, SELECT, relation to company) and `milestone`
    (BOOLEAN, relation to project)."""
    def create_object(singular, plural):
        status, created = workspace.raw("POST", "/rest/metadata/objects", {
            "nameSingular": singular, "namePlural": plural, "labelSingular": singular.title(), "labelPlural": plural.title(),
        })
        assert status == 201, created
        return created["data"]["createOneObject"]["id"]

    def create_field(object_id, field):
        status, body = workspace.raw("POST", "/rest/metadata/fields", {"objectMetadataId": object_id, **field})
        assert status == 201, body

    status, objects = workspace.raw("GET", "/rest/metadata/objects?limit=100")
    company = next(item["id"] for item in objects["data"]["objects"] if item["nameSingular"] == "company")
    project = create_object("project", "projects")
    create_field(project, {"type": "NUMBER", "name": "budget", "label": "Budget"})
    create_field(project, {"type": "SELECT", "name": "status", "label": "Status", "options": [
        {"value": "ACTIVE", "label": "Active", "color": "green", "position": 0},
        {"value": "DONE", "label": "Done", "color": "gray", "position": 1},
    ]})
    create_field(project, {"type": "RELATION", "name": "company", "label": "Company", "relationCreationPayload": {
        "targetObjectMetadataId": company, "targetFieldLabel": "Projects", "type": "MANY_TO_ONE"}})
    milestone = create_object("milestone", "milestones")
    create_field(milestone, {"type": "BOOLEAN", "name": "done", "label": "Done", "defaultValue": False})
    create_field(milestone, {"type": "RELATION", "name": "project", "label": "Project", "relationCreationPayload": {
        "targetObjectMetadataId": project, "targetFieldLabel": "Milestones", "type": "MANY_TO_ONE"}})
    return workspace


def _seed_projects(session):
    """Acme with three projects (two active) and milestones; returns (acme id, project ids by name)."""
    acme = session.execute(gql('mutation { createCompany(data: {name: "Acme"}) { id } }'))["createCompany"]["id"]
    created = session.execute(gql("""
        mutation($acme: UUID!) { createProjects(data: [
          {name: "Apollo", budget: 300, status: ACTIVE, companyId: $acme},
          {name: "Gemini", budget: 100, status: ACTIVE, company: {connect: {where: {id: $acme}}}},
          {name: "Mercury", budget: 50, status: DONE, companyId: $acme}]) { id name company { name } } }
    """), variable_values={"acme": acme})["createProjects"]
    assert [project["company"]["name"] for project in created] == ["Acme"] * 3
    ids = {project["name"]: project["id"] for project in created}
    session.execute(gql("""
        mutation($apollo: UUID!, $gemini: UUID!) { createMilestones(data: [
          {name: "Launch", done: false, projectId: $apollo}, {name: "Design", done: true, projectId: $apollo},
          {name: "Orbit", done: false, project: {connect: {where: {id: $gemini}}}}]) { id } }
    """), variable_values={"apollo": ids["Apollo"], "gemini": ids["Gemini"]})
    return acme, ids


def test_custom_objects_nested_two_levels_with_filters(projects):
    with _client(projects) as session:
        schema = session.client.schema
        for name in ["Project", "ProjectConnection", "ProjectFilterInput", "ProjectGroupByInput", "ProjectGroupByConnection",
                     "ProjectOrderByWithGroupByInput", "ProjectRelationInput", "ProjectWhereUniqueInput", "MilestoneCreateInput"]:
            assert schema.get_type(name) is not None, name
        assert {"projects", "project", "projectDuplicates", "projectsGroupBy"} <= set(schema.query_type.fields)
        assert "mergeProjects" in schema.mutation_type.fields and "offset" in schema.query_type.fields["projects"].args
        _seed_projects(session)

        companies = session.execute(gql("""
            {
              companies(filter: {name: {eq: "Acme"}}) { edges { node {
                name
                projects(filter: {status: {in: ["ACTIVE"]}}, orderBy: [{budget: DescNullsLast}]) {
                  totalCount sumBudget
                  edges { node { name budget status milestones(filter: {done: {eq: false}}) { totalCount edges { node { name } } } } }
                }
              } } }
            }
        """))["companies"]["edges"]
        acme_projects = companies[0]["node"]["projects"]
        assert acme_projects["totalCount"] == 2 and acme_projects["sumBudget"] == 400
        names = [(edge["node"]["name"], [m["node"]["name"] for m in edge["node"]["milestones"]["edges"]]) for edge in acme_projects["edges"]]
        assert names == [("Apollo", ["Launch"]), ("Gemini", ["Orbit"])]

        reverse = session.execute(gql("""
            { milestones(filter: {done: {eq: true}}) { edges { node { name project { name company { name } } } } } }
        """))["milestones"]["edges"]
        assert [(e["node"]["name"], e["node"]["project"]["name"], e["node"]["project"]["company"]["name"]) for e in reverse] == [
            ("Design", "Apollo", "Acme")]

        paged = session.execute(gql("{ projects(orderBy: [{budget: AscNullsFirst}], first: 1, offset: 1) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage } } }"))
        assert [edge["node"]["name"] for edge in paged["projects"]["edges"]] == ["Gemini"]
        assert paged["projects"]["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False}  # as Twenty: forward only


def test_custom_objects_group_by_merge_and_standard_duplicates(projects):
    with _client(projects) as session:
        _, ids = _seed_projects(session)
        groups = session.execute(gql("""
            { projectsGroupBy(groupBy: [{status: true}], orderBy: [{aggregate: {sumBudget: DescNullsLast}}],
                              orderByForRecords: [{budget: AscNullsFirst}]) {
                groupByDimensionValues totalCount sumBudget edges { node { name } } } }
        """))["projectsGroupBy"]
        assert [(g["groupByDimensionValues"], g["totalCount"], g["sumBudget"], [e["node"]["name"] for e in g["edges"]]) for g in groups] == [
            (["ACTIVE"], 2, 400, ["Gemini", "Apollo"]), (["DONE"], 1, 50, ["Mercury"])]

        merged = session.execute(gql("""
            mutation($ids: [UUID!]!) { mergeProjects(ids: $ids, conflictPriorityIndex: 1) {
              id name budget milestones { totalCount edges { node { name } } } } }
        """), variable_values={"ids": [ids["Apollo"], ids["Gemini"]]})["mergeProjects"]
        assert merged["id"] == ids["Gemini"] and merged["name"] == "Gemini" and merged["budget"] == 100
        assert merged["milestones"]["totalCount"] == 3
        assert session.execute(gql("{ projects { totalCount } }"))["projects"]["totalCount"] == 2

        session.execute(gql('mutation { createCompanies(data: [{name: "Acme"}, {name: "Globex"}]) { id } }'))
        duplicates = session.execute(gql("""
            { companyDuplicates(data: [{name: "Acme"}, {name: "Initech"}]) { totalCount edges { node { name } } } }
        """))["companyDuplicates"]
        assert [connection["totalCount"] for connection in duplicates] == [2, 0]
        assert {edge["node"]["name"] for edge in duplicates[0]["edges"]} == {"Acme"}

        # A group-by through a view that does not exist (views drive group-bys since issue 17).
        with pytest.raises(TransportQueryError) as error:
            session.execute(gql('{ projectsGroupBy(groupBy: [{name: true}], viewId: "00000000-0000-4000-8000-000000000000") { totalCount } }'))
        assert error.value.errors[0]["extensions"]["code"] == "NOT_FOUND"
