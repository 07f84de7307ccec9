#!/usr/bin/env python3
"""Turns the statements Atrium sent for one noisy request (read from PostgreSQL's log) into a pgbench script.

    statements.py LOG_EXCERPT SCHEMA > kind.sql

With log_min_duration_statement = 0 PostgreSQL logs every statement: `execute <name>: <text>` for a prepared one, its
parameters on the next `DETAIL:  parameters: $1 = '…', …` line, and `statement: <text>` for a simple one. The script
keeps the statements of the backends that touched SCHEMA (the request's connections), in the order they ran, with
each parameter written in as a literal, so pgbench (simple protocol) runs the same SQL without the server. pgbench
reads `:word` as a variable, so colons inside string literals are written as `\\x3a` in an escape string.
Prints nothing when the request sent no statement touching SCHEMA (e.g. a metadata query served from the cache).
"""
import re
import sys

log_path, schema = sys.argv[1], sys.argv[2]
head = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
entries = []  # [pid, level, text]
with open(log_path, encoding="utf-8", errors="replace") as log:
    for line in log:
        line = line.rstrip("\n")
        match = head.match(line)
        if match:
            entries.append([match.group(1), match.group(2), match.group(3)])
        elif entries:
            entries[-1][2] += "\n" + line

statements = []  # [pid, text, parameters]
executing = {}  # pid → its last LOG line was an execution (parse and bind lines carry the same DETAIL)
for pid, level, text in entries:
    if level == "LOG":
        match = re.match(r"duration: [\d.]+ ms  (?:execute [^:]*|statement): (.*)$", text, re.S)
        executing[pid] = match is not None
        if match:
            statements.append([pid, match.group(1), {}])
    elif level == "DETAIL" and text.startswith("parameters: ") and executing.get(pid):
        last = next(s for s in reversed(statements) if s[0] == pid)
        for number, value in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", text[len("parameters: "):], re.S):
            last[2][number] = value

pids = {pid for pid, text, _ in statements if f'"{schema}"' in text or f"{schema}." in text}
if not pids:
    sys.exit(0)


def escape_colons(literal: re.Match) -> str:
    text = literal.group(0)
    if ":" not in text:
        return text
    return "E" + text.replace("\\", "\\\\").replace(":", "\\x3a")


for pid, text, parameters in statements:
    if pid not in pids:
        continue
    text = re.sub(r"\$(\d+)(?!\d)", lambda m: parameters.get(m.group(1), m.group(0)), text)
    text = re.sub(r"(?<![A-Za-z0-9_])'(?:[^']|'')*'", escape_colons, text)
    print(text.rstrip().rstrip(";") + ";")
