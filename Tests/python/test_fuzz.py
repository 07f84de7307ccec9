"""Odd input on every API, generated from the workspace's own schemas with fixed seeds: no request may get a 5xx or a
GraphQL INTERNAL_SERVER_ERROR, and the server must still answer afterwards.

These sweeps found real faults (an enum variable that crashed the process, a like pattern ending in a backslash, an
empty record, a NUL character, a default PostgreSQL refused, a doubled updatedBy); each also has its own focused test.
"""
import itertools
import json
import random
import urllib.parse

import pytest

ODD_VALUES = [None, "", "x", 0, -1, 1.5, 1e300, True, [], ["x"], {}, {"x": 1}, "2024-02-30", "not-a-date",
              "00000000-0000-0000-0000-000000000000", "a" * 3000, "😀", "a\u0000b", "NEW", {"source": "NOPE"},
              {"amountMicros": "x", "currencyCode": "XXX"}, {"primaryEmail": 5}, 9223372036854775808]
FILTER_VALUES = ["", "x", "-1", "1e400", "true", "NULL", "[a,b]", "[]", "2024-13-45", "%", "abc\\", "'q'", "NEW",
                 "00000000-0000-0000-0000-000000000000"]
COMPARATORS = ["eq", "neq", "in", "containsAny", "is", "gt", "gte", "lt", "lte", "startsWith", "endsWith", "like", "ilike"]


class Failures:
    """Collects the requests that got a server error."""

    def __init__(self):
        self.items = []

    def check(self, description, status, body):
        internal = isinstance(body, dict) and any(
            (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" for error in body.get("errors") or [])
        if status >= 500 or internal:
            self.items.append(f"{status} {description[:300]} -> {json.dumps(body)[:300]}")


def graphql(workspace, path, query, variables=None):
    return workspace.raw("POST", path, {"query": query, "variables": variables or {}})


def test_every_field_takes_odd_values_and_filters_without_a_server_error(workspace):
    failures = Failures()
    objects = workspace.raw("GET", "/rest/metadata/objects?limit=1000")[1]["data"]["objects"]
    for item in objects:
        if item["namePlural"] not in ("companies", "people", "opportunities", "tasks", "timelineActivities"):
            continue
        plural = item["namePlural"]
        status, created = workspace.raw("POST", f"/rest/{plural}", {})
        failures.check(f"POST /rest/{plural} {{}}", status, created)
        record = next(iter(created["data"].values()))["id"] if status == 201 else "00000000-0000-0000-0000-000000000000"
        for index, field in enumerate(item["fields"]):
            names = [field["name"]] + ([field["settings"]["joinColumnName"]]
                                       if (field.get("settings") or {}).get("joinColumnName") else [])
            for name, value in itertools.product(names, ODD_VALUES):
                for method, path in (("POST", f"/rest/{plural}"), ("PATCH", f"/rest/{plural}/{record}")):
                    status, body = workspace.raw(method, path, {name: value})
                    failures.check(f"{method} {path} {name}={json.dumps(value)[:60]}", status, body)
            # Comparator i meets value i + index: over the object's fields every pair comes up.
            for offset, comparator in enumerate(COMPARATORS):
                value = FILTER_VALUES[(offset + index) % len(FILTER_VALUES)]
                query = urllib.parse.quote(f"{field['name']}[{comparator}]:{value}", safe="[]:,")
                status, body = workspace.raw("GET", f"/rest/{plural}?limit=1&filter={query}")
                failures.check(f"GET {plural} filter {field['name']}[{comparator}]:{value}", status, body)
    assert not failures.items, "\n".join(failures.items)
    assert workspace.raw("GET", "/rest/companies?limit=1")[0] == 200


def introspect(workspace, path):
    type_ref = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"
    status, body = graphql(workspace, path, "{ __schema { queryType { name } mutationType { name } types { kind name enumValues { name } "
                           "inputFields { name type { %s } } fields { name args { name type { %s } } type { %s } } } } }"
                           % (type_ref, type_ref, type_ref))
    assert status == 200, body
    return body["data"]["__schema"]


@pytest.mark.parametrize("path,seed", [("/graphql", 1), ("/metadata", 2)])
def test_every_operation_takes_random_arguments_without_a_server_error(workspace, path, seed):
    """Each query and mutation of the endpoint, with arguments built at random from their types (as typed variables, so
    the resolvers run): enums get unknown and empty values, strings odd text, ids ids seen in earlier answers."""
    rng = random.Random(seed)
    schema = introspect(workspace, path)
    types = {item["name"]: item for item in schema["types"]}
    seen_ids = ["00000000-0000-0000-0000-000000000000"]

    def base(type_ref):
        while type_ref.get("ofType"):
            type_ref = type_ref["ofType"]
        return type_ref

    def signature(type_ref):
        if type_ref["kind"] == "NON_NULL":
            return signature(type_ref["ofType"]) + "!"
        if type_ref["kind"] == "LIST":
            return "[" + signature(type_ref["ofType"]) + "]"
        return type_ref["name"]

    def value(type_ref, depth=0):
        if type_ref["kind"] == "NON_NULL":
            return value(type_ref["ofType"], depth)
        if rng.random() < 0.08:
            return None
        if type_ref["kind"] == "LIST":
            return [value(type_ref["ofType"], depth + 1) for _ in range(rng.randint(0, 2))]
        named = types[type_ref["name"]]
        if named["kind"] == "ENUM":
            return rng.choice([item["name"] for item in named["enumValues"]] + ["", "NOPE"])
        if named["kind"] == "INPUT_OBJECT":
            return {} if depth > 3 else {field["name"]: value(field["type"], depth + 1)
                                        for field in named["inputFields"] if rng.random() < 0.6}
        return {
            "UUID": lambda: rng.choice(seen_ids + ["nope"]), "ID": lambda: rng.choice(seen_ids + ["nope"]),
            "Int": lambda: rng.choice([0, -1, 5, 2147483647]), "Float": lambda: rng.choice([0, 1.5, -1, 1e308]),
            "Boolean": lambda: rng.choice([True, False]), "DateTime": lambda: rng.choice(["2024-01-01T00:00:00Z", "x", ""]),
            "Date": lambda: rng.choice(["2024-01-01", "2024-02-30", "x"]),
        }.get(type_ref["name"], lambda: rng.choice(["", "x", "Name", "a@b.c", "😀", "a" * 300, "'X'", "id", "a\u0000b"]))()

    def selection(type_ref):
        named = types[base(type_ref)["name"]]
        if named["kind"] in ("SCALAR", "ENUM"):
            return ""
        if named["kind"] != "OBJECT":
            return "{ __typename }"
        leaves = [field["name"] for field in named["fields"] or []
                  if not any(argument["type"]["kind"] == "NON_NULL" for argument in field["args"])
                  and types.get(base(field["type"])["name"], {}).get("kind") in ("SCALAR", "ENUM")]
        return "{ __typename " + " ".join(leaves[:8]) + " }"

    # Operations that would lock this test's own key out, or end the workspace, are left out.
    skipped = {"revokeApiKey", "updateApiKey", "deleteOneRole", "updateOneRole", "updateWorkspaceMemberRole", "upsertPermissionFlags",
               "upsertObjectPermissions", "upsertFieldPermissions", "upsertRowLevelPermissionPredicates", "deleteCurrentWorkspace",
               "signUp", "signUpInWorkspace"}
    roots = [(operation, field) for operation, root in (("query", schema["queryType"]), ("mutation", schema["mutationType"])) if root
             for field in types[root["name"]]["fields"] if field["name"] not in skipped and not field["name"].startswith("__")]
    failures = Failures()
    for _ in range(400):
        operation, field = rng.choice(roots)
        arguments = [argument for argument in field["args"] if argument["type"]["kind"] == "NON_NULL" or rng.random() < 0.6]
        declared = ", ".join(f"${argument['name']}: {signature(argument['type'])}" for argument in arguments)
        passed = ", ".join(f"{argument['name']}: ${argument['name']}" for argument in arguments)
        query = (f"{operation}{f'({declared})' if declared else ''} "
                 f"{{ {field['name']}{f'({passed})' if passed else ''} {selection(field['type'])} }}")
        variables = {argument["name"]: value(argument["type"]) for argument in arguments}
        status, body = graphql(workspace, path, query, variables)
        failures.check(f"{query} {json.dumps(variables)[:200]}", status, body)
        if isinstance(body, dict):
            seen_ids.extend(part[:36] for part in json.dumps(body.get("data") or {}).split('"id": "')[1:])
            del seen_ids[:-40]
    assert not failures.items, "\n".join(failures.items)
    assert graphql(workspace, "/graphql", "{ companies { totalCount } }")[0] == 200
