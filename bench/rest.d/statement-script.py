#!/usr/bin/env python3
"""Turns the findOne statement Atrium sent (read from PostgreSQL's log) into a pgbench script.

    statement-script.py LOG_EXCERPT COMPANIES > find-one.sql

PostgreSQL logs a prepared statement's execution as `execute <name>: <text>` with its one parameter, the record id,
as `$1`. The script binds a random seeded company's id there, exactly as bench/rest's single-row floor does, so the
floor runs Atrium's own statement (the JSON rendering, the permission predicates) through pgbench's C client.
pgbench reads `:word` as a variable, so colons inside string literals (the timestamp format) are written as `\\x3a`
in an escape string; PostgreSQL folds them to the same constant.
"""
import re
import sys

log_path, companies = sys.argv[1], int(sys.argv[2])
pattern = re.compile(r"execute [^:]+: (SELECT json_build_object\('data', json_build_object\('company', .*)$")
statement = None
with open(log_path, encoding="utf-8", errors="replace") as log:
    for line in log:
        match = pattern.search(line.rstrip("\n"))
        if match:
            statement = match.group(1)
if statement is None or "$1" not in statement:
    sys.exit("statement-script.py: no findOne statement with a $1 parameter in the log excerpt")


def escape_colons(literal: re.Match) -> str:
    text = literal.group(0)
    if ":" not in text:
        return text
    return "E" + text.replace("\\", "\\\\").replace(":", "\\x3a")


# Single-quoted literals ('' inside is an escaped quote); identifiers are double-quoted and hold no colons.
statement = re.sub(r"'(?:[^']|'')*'", escape_colons, statement)
statement = re.sub(r"\$1(?!\d)", "md5('c' || :n)", statement)
print(f"\\set n random(1, {companies})")
print(statement + ";")
