#!/usr/bin/env python3
"""Turns a statement Atrium sent (read from PostgreSQL's log) into a pgbench script.

    statement-script.py find-one LOG_EXCERPT COMPANIES > find-one.sql
    statement-script.py find-many LOG_EXCERPT > find-many-1.sql

PostgreSQL logs a statement's execution as `execute <name>: <text>` (`<unnamed>` before the text is prepared). For
findOne the one parameter, the record id, is `$1`: the script binds a random seeded company's id there, exactly as
bench/rest's single-row floor does. For find-many (`limit=60&filter=employees[gte]:N&order_by=…&depth=1`) every
parameter is the filter's N (the page and its count each bind it): the script binds one random N from the same range
bench/rest's requests draw from, as text, as Atrium binds it. So the floor runs Atrium's own statement (the JSON
rendering, the permission predicates) through pgbench's C client. pgbench reads `:word` as a variable, so colons inside
string literals (the timestamp format) are written as `\\x3a` in an escape string; PostgreSQL folds them to the same
constant.
"""
import re
import sys

mode, log_path = sys.argv[1], sys.argv[2]
starts = {
    "find-one": r"SELECT json_build_object\('data', json_build_object\('company', ",
    "find-many": r"SELECT \(SELECT json_build_object\('data', json_build_object\('companies', ",
}
if mode not in starts:
    sys.exit("statement-script.py: the mode is find-one or find-many")
pattern = re.compile(r"execute [^:]+: (" + starts[mode] + r".*)$")
statement = None
with open(log_path, encoding="utf-8", errors="replace") as log:
    for line in log:
        match = pattern.search(line.rstrip("\n"))
        if match:
            statement = match.group(1)
if statement is None or "$1" not in statement:
    sys.exit(f"statement-script.py: no {mode} statement with a $1 parameter in the log excerpt")


def escape_colons(literal: re.Match) -> str:
    text = literal.group(0)
    if ":" not in text:
        return text
    return "E" + text.replace("\\", "\\\\").replace(":", "\\x3a")


# Single-quoted literals ('' inside is an escaped quote); identifiers are double-quoted and hold no colons.
statement = re.sub(r"'(?:[^']|'')*'", escape_colons, statement)
if mode == "find-one":
    statement = re.sub(r"\$1(?!\d)", "md5('c' || :n)", statement)
    print(f"\\set n random(1, {int(sys.argv[3])})")
else:
    statement = re.sub(r"\$\d+(?!\d)", "(:e)::text", statement)
    print("\\set e random(0, 4000)")
print(statement + ";")
