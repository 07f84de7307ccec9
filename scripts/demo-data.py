#!/usr/bin/env python3
"""Writes the demo workspace's sample data as CSV files, one per object, for `atrium import` (scripts/run).

A few dozen companies, their people, opportunities across every stage, notes and tasks linked to them: the same
data every time (a fixed seed; ids derived from names), so a file imported twice updates instead of duplicating.

    scripts/demo-data.py OUTPUT_DIR
"""
import csv
import os
import random
import sys
import uuid

NAMESPACE = uuid.UUID("6f1c9a52-3b1e-4d7a-9c1e-5a2b7d9e0c11")
COMPANIES = [
    ("Acme Robotics", "acme-robotics.example", "San Francisco"), ("Blue Harbor Logistics", "blueharbor.example", "Rotterdam"),
    ("Cedar Health", "cedarhealth.example", "Boston"), ("Delta Foods", "deltafoods.example", "Lyon"),
    ("Evergreen Energy", "evergreen-energy.example", "Oslo"), ("Falcon Aerospace", "falcon-aero.example", "Toulouse"),
    ("Granite Capital", "granitecapital.example", "London"), ("Horizon Media", "horizonmedia.example", "New York"),
    ("Ironclad Security", "ironclad.example", "Tel Aviv"), ("Juniper Labs", "juniperlabs.example", "Berlin"),
    ("Kestrel Motors", "kestrelmotors.example", "Munich"), ("Lumen Optics", "lumenoptics.example", "Tokyo"),
    ("Maple Education", "mapleedu.example", "Toronto"), ("Northwind Traders", "northwind.example", "Seattle"),
    ("Orchid Fashion", "orchidfashion.example", "Milan"), ("Pioneer Agritech", "pioneeragri.example", "Nairobi"),
    ("Quartz Analytics", "quartzanalytics.example", "Dublin"), ("Redwood Construction", "redwoodbuild.example", "Denver"),
    ("Summit Travel", "summittravel.example", "Zurich"), ("Tidal Water", "tidalwater.example", "Lisbon"),
    ("Umbra Games", "umbragames.example", "Montreal"), ("Vertex Pharma", "vertexpharma.example", "Basel"),
    ("Willow Insurance", "willowinsure.example", "Chicago"), ("Xenon Semiconductors", "xenonsemi.example", "Taipei"),
    ("Yellowstone Outdoor", "yellowstone-outdoor.example", "Bozeman"), ("Zephyr Airlines", "zephyrair.example", "Madrid"),
]
FIRST = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Tim", "Barbara", "Dennis", "Frances", "Ken", "Radia", "Guido",
         "Hedy", "John", "Katherine", "Edsger", "Sophie", "Vint", "Anita", "Bjarne"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Berners-Lee", "Liskov", "Ritchie", "Allen", "Thompson",
        "Perlman", "van Rossum", "Lamarr", "Backus", "Johnson", "Dijkstra", "Wilson", "Cerf", "Borg", "Stroustrup"]
TITLES = ["CEO", "CTO", "Head of Sales", "Procurement Lead", "VP Operations", "Product Manager", "CFO", "Engineering Manager"]
STAGES = ["NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER"]
TASKS = ["Send the proposal", "Book a demo", "Follow up on pricing", "Prepare the contract", "Intro call with the CTO",
         "Share the security questionnaire", "Check the renewal date"]
NOTES = ["Discovery call: they want to replace their spreadsheets before the next quarter.",
         "Met at the trade show; interested in the API and webhooks.",
         "Budget approved for next year; decision by the end of the month.",
         "Asked for a reference customer in their industry."]


def uid(kind, name):
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def write(directory, name, header, rows):
    with open(os.path.join(directory, name), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    rng = random.Random(17)
    companies, people, opportunities, notes, note_targets, tasks, task_targets = [], [], [], [], [], [], []
    for name, domain, city in COMPANIES:
        company = uid("company", name)
        companies.append([company, name, domain, rng.choice([12, 45, 120, 350, 800, 2400, 9000]),
                          rng.choice([250000, 1200000, 4800000, 15000000]), "USD", city, rng.random() < 0.3])
        contacts = []
        for _ in range(rng.randint(1, 3)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{last.lower().replace(' ', '')}@{domain}"
            if any(row[3] == email for row in people):
                continue
            person = uid("person", email)
            contacts.append(person)
            people.append([person, first, last, email, rng.choice(TITLES), city, company])
        for index in range(rng.randint(0, 2)):
            title = f"{name} — {'Expansion' if index else 'Platform'}"
            opportunities.append([uid("opportunity", title), title, rng.choice([15000, 40000, 90000, 250000]), "USD",
                                  rng.choice(STAGES), f"2027-0{rng.randint(1, 9)}-15T12:00:00Z", company, rng.choice(contacts)])
        if rng.random() < 0.6:
            note = uid("note", name)
            notes.append([note, f"Notes on {name}", rng.choice(NOTES)])
            note_targets.append([uid("noteTarget", name), note, company])
        if rng.random() < 0.7:
            task = uid("task", name)
            tasks.append([task, f"{rng.choice(TASKS)} ({name})", rng.choice(["TODO", "IN_PROGRESS", "DONE"]),
                          f"2027-0{rng.randint(1, 6)}-0{rng.randint(1, 9)}T09:00:00Z"])
            task_targets.append([uid("taskTarget", name), task, company])
    write(directory, "companies.csv", ["Id", "Name", "Domain Name / Link URL", "Employees", "ARR / Amount", "ARR / Currency",
                                       "Address / City", "ICP"], companies)
    write(directory, "people.csv", ["Id", "Name / First Name", "Name / Last Name", "Emails / Primary Email", "Job Title", "City",
                                    "Company Id"], people)
    write(directory, "opportunities.csv", ["Id", "Name", "Amount / Amount", "Amount / Currency", "Stage", "Close date", "Company Id",
                                           "Point of Contact Id"], opportunities)
    write(directory, "notes.csv", ["Id", "Title", "bodyV2.markdown"], notes)
    write(directory, "noteTargets.csv", ["Id", "noteId", "targetCompanyId"], note_targets)
    write(directory, "tasks.csv", ["Id", "Title", "Status", "Due Date"], tasks)
    write(directory, "taskTargets.csv", ["Id", "taskId", "targetCompanyId"], task_targets)


if __name__ == "__main__":
    main()
