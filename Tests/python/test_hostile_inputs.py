"""Extreme numbers and strings on every numeric input of every API (issue 14: no input can trap the process).

Each value is written raw into the JSON text, so literals JSON parsers disagree on (1e309, 99999999999999999999999, -0)
reach the server as sent. Every answer must be a 4xx, or a 2xx whose stored value is the one given; never a 5xx or a
GraphQL INTERNAL_SERVER_ERROR; and the server must answer /livez after each group. The `/metadata` alias bomb that
used to run for half a minute must be refused at once without the server's memory growing.
"""
import json
import math
import time
import urllib.parse
import urllib.request

import pytest

NUMBERS = ["1e300", "-1e300", "1e309", "-1e309", "99999999999999999999999", "-99999999999999999999999", "-0", "0", "-1",
           "1.5", "2147483647", "2147483648", "-2147483649", "9007199254740993", "1e-320"]
STRINGS = ['"NaN"', '"Infinity"', '"-Infinity"', '""', '"1e400"', '"12"', json.dumps("9" * (1 << 20))]
VALUES = NUMBERS + STRINGS + ["null", "true", "[]", "{}"]
INT32 = range(-2147483648, 2147483648)


def send(workspace, method, path, text=None):
    """A request with a raw JSON body: returns (status, parsed JSON or None)."""
    return workspace.raw(method, path, text=text)


def graphql(workspace, path, query, variables_text="{}"):
    return send(workspace, "POST", path, '{"query": %s, "variables": %s}' % (json.dumps(query), variables_text))


def alive(workspace):
    with urllib.request.urlopen(workspace.base_url + "/livez", timeout=10) as response:
        assert response.status == 200


class Answers:
    """Collects answers that are server errors, or 2xx answers that stored something other than what was given."""

    def __init__(self):
        self.failures = []

    def check(self, description, status, body):
        internal = isinstance(body, dict) and any(
            (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" for error in body.get("errors") or [])
        if status >= 500 or internal or not 200 <= status < 500:
            self.failures.append(f"{status} {description[:200]} -> {json.dumps(body)[:300]}")
        return 200 <= status < 300 and not (isinstance(body, dict) and body.get("errors"))

    def expect(self, description, condition, detail=""):
        if not condition:
            self.failures.append(f"{description[:200]}: {detail}"[:500])

    def assert_none(self):
        assert not self.failures, "\n".join(self.failures[:40])


def parsed(literal):
    """What a JSON literal means (Python reads 1e309 as infinity, as the JSON grammar allows no such number)."""
    return json.loads(literal)


def is_finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def same_number(stored, given):
    return is_finite_number(stored) and math.isclose(float(stored), float(given), rel_tol=1e-12, abs_tol=1e-300)


def object_id(workspace, name):
    objects = workspace.raw("GET", "/rest/metadata/objects?limit=1000")[1]["data"]["objects"]
    return next(item["id"] for item in objects if item["nameSingular"] == name)


def create_field(workspace, object_metadata_id, body):
    status, answer = workspace.raw("POST", "/rest/metadata/fields", dict(body, objectMetadataId=object_metadata_id))
    assert status == 201, answer


@pytest.fixture()
def numeric_workspace(workspace):
    """The workspace with custom NUMBER fields of each dataType and a RATING field on company."""
    company = object_id(workspace, "company")
    create_field(workspace, company, {"type": "NUMBER", "name": "seats", "label": "Seats", "settings": {"dataType": "int"}})
    create_field(workspace, company, {"type": "NUMBER", "name": "atoms", "label": "Atoms", "settings": {"dataType": "bigint"}})
    create_field(workspace, company, {"type": "NUMBER", "name": "ratio", "label": "Ratio", "settings": {"dataType": "float", "decimals": 2}})
    create_field(workspace, company, {"type": "RATING", "name": "score", "label": "Score"})
    return workspace


# Each record input: the JSON text of the field's value for a literal, and whether a stored answer matches it.
def number_rule(kind):
    def accepts(literal, stored):
        given = parsed(literal)
        if not is_finite_number(given):
            return False
        if kind == "int" and not (float(given).is_integer() and int(given) in INT32):
            return False
        if kind == "bigint" and not (float(given).is_integer() and abs(int(given)) <= 2 ** 53 - 1):
            return False
        return same_number(stored, given)
    return accepts


RECORD_INPUTS = [
    ("employees", lambda v: v, lambda r: r.get("employees"), number_rule("float")),
    ("ratio", lambda v: v, lambda r: r.get("ratio"), number_rule("float")),
    ("seats", lambda v: v, lambda r: r.get("seats"), number_rule("int")),
    ("atoms", lambda v: v, lambda r: r.get("atoms"), number_rule("bigint")),
    ("position", lambda v: v, lambda r: r.get("position"), number_rule("float")),
    ("annualRecurringRevenue", lambda v: '{"amountMicros": %s, "currencyCode": "USD"}' % v,
     lambda r: (r.get("annualRecurringRevenue") or {}).get("amountMicros"),
     lambda literal, stored: stored is None if parsed(literal) in ("", None) else
     same_number(float(stored) if isinstance(stored, str) else stored, float(parsed(literal)))),
    ("score", lambda v: v, lambda r: r.get("score"), lambda literal, stored: False),
]


def test_record_numbers_on_rest_and_graphql(numeric_workspace):
    workspace = numeric_workspace
    answers = Answers()
    status, created = workspace.raw("POST", "/rest/companies", {"name": "Target"})
    assert status == 201, created
    record = created["data"]["createCompany"]["id"]
    selection = "id employees ratio seats atoms position score annualRecurringRevenue { amountMicros currencyCode }"
    for name, wrap, read, accepts in RECORD_INPUTS:
        for literal in VALUES:
            value = wrap(literal)
            if literal in ("null", "true", "[]", "{}"):
                value = literal
            for method, path in (("POST", "/rest/companies"), ("PATCH", f"/rest/companies/{record}")):
                status, body = send(workspace, method, path, '{"name": "N", "%s": %s}' % (name, value))
                if answers.check(f"{method} {path} {name}={value[:40]}", status, body) and value == wrap(literal) and literal not in ("null",):
                    stored = next(iter(body["data"].values()))
                    answers.expect(f"{method} {name}={literal[:40]} stored", accepts(literal, read(stored)), f"stored {read(stored)!r}")
            for mutation, arguments in (("createCompany", '(data: {name: "N", %s: %s})'),
                                        ("updateCompany", f'(id: "{record}", data: {{%s: %s}})')):
                # As an inline literal (GraphQL's own number grammar) and as a variable (JSON's).
                if not literal.startswith('"9999'):
                    query = "mutation { %s%s { %s } }" % (mutation, arguments % (name, value.replace('"amountMicros"', "amountMicros")
                                                                                  .replace('"currencyCode"', "currencyCode")), selection)
                    status, body = graphql(workspace, "/graphql", query)
                    answers.check(f"graphql literal {mutation} {name}={value[:40]}", status, body)
                query = "mutation($v: %s) { %s%s { %s } }" % (
                    "CompanyCreateInput!" if mutation == "createCompany" else "CompanyUpdateInput!", mutation,
                    "(data: $v)" if mutation == "createCompany" else f'(id: "{record}", data: $v)', selection)
                status, body = graphql(workspace, "/graphql", query, '{"v": {"%s": %s}}' % (name, value))
                if answers.check(f"graphql variable {mutation} {name}={value[:40]}", status, body) and value == wrap(literal) and literal != "null":
                    stored = body["data"][mutation]
                    answers.expect(f"graphql {mutation} {name}={literal[:40]} stored", accepts(literal, read(stored)), f"stored {read(stored)!r}")
        alive(workspace)
    answers.assert_none()


def test_query_parameters_and_paging_arguments(workspace):
    answers = Answers()
    texts = [urllib.parse.quote(json.loads(v) if v.startswith('"') else v) for v in NUMBERS + STRINGS[:-1]] + ["9" * 10000, "-" + "9" * 5000]
    for text in texts:
        for path in ("/rest/companies", "/rest/metadata/objects", "/rest/metadata/fields"):
            for parameter in ("limit", "depth", "starting_after", "ending_before"):
                status, body = send(workspace, "GET", f"{path}?{parameter}={text}")
                answers.check(f"GET {path}?{parameter}={text[:40]}", status, body)
        status, body = send(workspace, "GET", f"/rest/companies/groupBy?group_by=%5B%7B%22name%22%3Atrue%7D%5D&limit={text}")
        answers.check(f"groupBy limit={text[:40]}", status, body)
        status, body = send(workspace, "GET", f"/rest/companies?filter=employees%5Bgte%5D%3A{text}")
        answers.check(f"filter employees[gte]:{text[:40]}", status, body)
    alive(workspace)
    for literal in NUMBERS + ["9223372036854775807", "-9223372036854775808"]:
        for argument in ("first", "last", "offset"):
            status, body = graphql(workspace, "/graphql", "{ companies(%s: %s) { totalCount } }" % (argument, literal))
            answers.check(f"companies({argument}: {literal})", status, body)
            status, body = graphql(workspace, "/graphql", "query($n: Int) { companies(%s: $n) { totalCount } }" % argument,
                                   '{"n": %s}' % literal)
            answers.check(f"companies({argument}: $n={literal})", status, body)
            status, body = graphql(workspace, "/metadata", "{ objects(paging: {%s: %s}) { totalCount } }" % (argument, literal))
            answers.check(f"/metadata objects(paging: {{{argument}: {literal}}})", status, body)
        status, body = graphql(workspace, "/graphql", '{ search(searchInput: "a", limit: %s) { edges { cursor } } }' % literal)
        answers.check(f"search(limit: {literal})", status, body)
        status, body = graphql(workspace, "/graphql", '{ companiesGroupBy(groupBy: [{name: true}], limit: %s) { totalCount } }' % literal)
        answers.check(f"companiesGroupBy(limit: {literal})", status, body)
        cursor = __import__("base64").b64encode(f"offset:{literal}".encode()).decode()
        status, body = graphql(workspace, "/graphql", '{ search(searchInput: "a", limit: 5, after: "%s") { edges { cursor } } }' % cursor)
        answers.check(f"search(after: offset:{literal})", status, body)
        status, body = send(workspace, "PATCH", "/rest/companies/merge", '{"ids": [], "conflictPriorityIndex": %s}' % literal)
        answers.check(f"merge conflictPriorityIndex={literal}", status, body)
    alive(workspace)
    answers.assert_none()


def test_metadata_numbers_and_settings(workspace):
    answers = Answers()
    company = object_id(workspace, "company")
    status, created = workspace.raw("POST", "/rest/metadata/fields", {
        "objectMetadataId": company, "type": "SELECT", "name": "tier", "label": "Tier",
        "options": [{"value": "A", "label": "A", "position": 0}]})
    assert status == 201, created
    field = created["data"]["createOneField"]["id"]
    for index, literal in enumerate(VALUES):
        options = '[{"value": "A", "label": "A", "position": %s}]' % literal
        for method, path, body in (
                ("PATCH", f"/rest/metadata/fields/{field}", '{"options": %s}' % options),
                ("PATCH", "/rest/metadata/fields/00000000-0000-4000-8000-000000000000", '{"options": %s}' % options),
                ("POST", "/rest/metadata/fields", '{"objectMetadataId": "%s", "type": "SELECT", "name": "grade%d", "label": "Grade %d", '
                                                  '"options": %s}' % (company, index, index, options)),
                ("POST", "/rest/metadata/fields", '{"objectMetadataId": "%s", "type": "NUMBER", "name": "num%d", "label": "Num %d", '
                                                  '"settings": {"decimals": %s, "dataType": "int"}, "defaultValue": %s}'
                 % (company, index, index, literal, literal)),
                ("POST", "/rest/metadata/fields", '{"objectMetadataId": "%s", "type": "TEXT", "name": "txt%d", "label": "Txt %d", '
                                                  '"settings": {"displayedMaxRows": %s}}' % (company, index, index, literal)),
                ("POST", "/rest/metadata/objects", '{"nameSingular": %s, "namePlural": "things", "labelSingular": %s, '
                                                   '"labelPlural": "Things"}' % (literal, literal))):
            status, answer = send(workspace, method, path, body)
            answers.check(f"{method} {path} {body[:120]}", status, answer)
        for mutation, variables in (
                ("mutation($i: UpdateOneFieldMetadataInput!) { updateOneField(input: $i) { id options } }",
                 '{"i": {"id": "%s", "update": {"options": %s}}}' % (field, options)),
                ("mutation($i: CreateOneFieldMetadataInput!) { createOneField(input: $i) { id settings } }",
                 '{"i": {"field": {"objectMetadataId": "%s", "type": "NUMBER", "name": "gnum%d", "label": "G %d", '
                 '"settings": {"decimals": %s}}}}' % (company, index, index, literal))):
            status, answer = graphql(workspace, "/metadata", mutation, variables)
            answers.check(f"/metadata {mutation[:40]} {variables[:120]}", status, answer)
        if literal in NUMBERS:
            query = ('mutation { createOneField(input: {field: {objectMetadataId: "%s", type: SELECT, name: "lit%d", label: "Lit %d", '
                     'options: [{value: "A", label: "A", position: %s}]}}) { id options } }' % (company, index, index, literal))
            status, answer = graphql(workspace, "/metadata", query)
            answers.check(f"/metadata literal position {literal}", status, answer)
            if status == 200 and (answer.get("data") or {}).get("createOneField"):
                stored = answer["data"]["createOneField"]["options"][0]["position"]
                answers.expect(f"literal position {literal} stored", is_finite_number(parsed(literal)) and same_number(stored, parsed(literal))
                               and float(parsed(literal)).is_integer() and int(parsed(literal)) in INT32, f"stored {stored!r}")
    alive(workspace)
    status, fields = workspace.raw("GET", "/rest/metadata/fields?limit=1000")
    assert status == 200
    for item in fields["data"]["fields"]:
        for option in item.get("options") or []:
            answers.expect(f"option {option.get('value')} of {item['name']}", is_finite_number(option.get("position"))
                           and int(option["position"]) in INT32, json.dumps(option))
    answers.assert_none()


def test_metadata_bodies_that_are_not_objects_are_400(workspace):
    for body in ("[]", '"x"', "1", "null", '{"query": 5}'):
        for path in ("/metadata", "/graphql"):
            status, answer = send(workspace, "POST", path, body)
            assert status == 400, (path, body, answer)
            assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (path, body, answer)
    alive(workspace)


def rss_kilobytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/%d/status" % pid)


def test_metadata_alias_bomb_is_refused_quickly_and_costs_no_memory(workspace, server):
    assert server.pid is not None
    for _ in range(3):  # warm up: the catalog, the schema, the allocator's arenas
        assert graphql(workspace, "/metadata", "{ objects { totalCount } }")[0] == 200
    baseline = rss_kilobytes(server.pid)
    for count in (1000, 5000):
        bomb = "{" + " ".join(f"a{index}: objects {{ totalCount }}" for index in range(count)) + "}"
        for _ in range(3):
            started = time.monotonic()
            status, answer = graphql(workspace, "/metadata", bomb)
            elapsed = time.monotonic() - started
            assert status == 400, answer
            assert answer["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", answer
            assert elapsed < 5, f"{count} aliases took {elapsed:.1f} s"
    alive(workspace)
    grown = rss_kilobytes(server.pid) - baseline
    assert grown < 64 * 1024, f"RSS grew by {grown} kB"
    status, answer = graphql(workspace, "/metadata", "{ a: objects { totalCount } b: fields(paging: {first: 1}) { totalCount } }")
    assert status == 200 and not answer.get("errors"), answer
