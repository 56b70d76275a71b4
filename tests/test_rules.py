"""Bad input: one case per rule, each asserting the exact file, line, field and message staff see."""

from __future__ import annotations

import pytest

# (case, file, text to find, replacement, the problem line expected)
CASES = [
    ("money with a comma and letter O", "data/awards.csv", ",150000,", ',"12,5OO",',
     "data/awards.csv:2: amount_awarded: '12,5OO' is not an amount in pounds; write digits only, for example 12500 or 12500.50 (no £ or commas)"),
    ("money with a pound sign", "data/payments/2025-26.csv", ",1000,", ",£1000,",
     "data/payments/2025-26.csv:3: amount: '£1000' is not an amount in pounds; write digits only, for example 1250.00, with a minus sign for a refund (no £ or commas)"),
    ("impossible date", "data/awards.csv", "2025-05-01,2025-06-01", "2025-13-01,2025-06-01",
     "data/awards.csv:3: award_date: '2025-13-01' is not a real date; check the day and month, written YYYY-MM-DD, for example 2026-03-31"),
    ("UK-style date", "data/awards.csv", "2025-03-01,2025-04-01", "01/03/2025,2025-04-01",
     "data/awards.csv:2: award_date: '01/03/2025' is not a date; write it as YYYY-MM-DD, for example 2026-03-31"),
    ("award type not in the code list", "data/awards.csv", "victims,grant,open-call", "victims,Grant,open-call",
     "data/awards.csv:2: award_type: 'Grant' is not allowed; write one of 'grant' or 'contract'"),
    ("route not in the code list", "data/awards.csv", "grant,invited,12000", "grant,by invitation,12000",
     "data/awards.csv:3: route: 'by invitation' is not allowed; write one of 'open-call', 'invited', 'direct-award', 'single-tender-action', 'open-tender' or 'competitive-dialogue'"),
    ("organisation type not in the code list", "data/providers.csv", ",charity,", ",Charity Ltd,",
     "data/providers.csv:2: organisation_type: 'Charity Ltd' is not allowed; write one of 'charity', 'charitable-incorporated-organisation', 'community-interest-company', 'social-enterprise', 'community-group', 'public-body' or 'private-company'"),
    ("required cell empty", "data/awards.csv", "Youth diversion,Activities for young people at risk.", "Youth diversion,",
     "data/awards.csv:3: description: is required but missing or empty; fill it in"),
    ("yes/no column with another word", "data/providers.csv", "Othertown,yes,no,,", "Othertown,yes,maybe,,",
     "data/providers.csv:3: pension_scheme: 'maybe' must be yes, no, or left empty if not yet confirmed"),
    ("web address that is not http(s)", "data/awards.csv", "https://contracts.example/1", "javascript:alert(1)",
     "data/awards.csv:5: contract_document: 'javascript:alert(1)' is not a web address; write it in full starting https://, for example https://www.example.org/page"),
    ("title of 140 characters", "data/awards.csv", "Youth diversion renewal,", "Y" * 140 + ",",
     "data/awards.csv:4: title: '" + "Y" * 57 + "...' is 140 characters long; a title must be under 140 characters, so shorten it"),
    ("unknown provider", "data/awards.csv", "GB-CHC-1000001,moj-victims", "GB-CHC-9999999,moj-victims",
     "data/awards.csv:2: provider_id: 'GB-CHC-9999999' is not a provider id; check the spelling, or add it to data/providers.csv first"),
    ("unknown funding stream", "data/awards.csv", "community-safety-fund,prevention,grant,invited", "community-safety,prevention,grant,invited",
     "data/awards.csv:3: funding_stream: 'community-safety' is not a funding stream in data/funder.yaml; use one of community-safety-fund, moj-victims"),
    ("unknown priority", "data/awards.csv", "prevention;victims", "prevention;victim",
     "data/awards.csv:4: priorities: 'victim' is not a priority in data/funder.yaml; use codes from prevention, victims"),
    ("unknown opportunity", "data/awards.csv", ",OPP-2025-001,", ",OPP-2025-009,",
     "data/awards.csv:2: opportunity_id: 'OPP-2025-009' is not an opportunity id; check the spelling (did you mean 'OPP-2025-001'?), or add it to data/opportunities/ first"),
    ("extends an unknown award", "data/awards.csv", ",TPCC-2025-002\n", ",TPCC-2025-020\n",
     "data/awards.csv:4: extends: 'TPCC-2025-020' is not an award id; check the spelling (did you mean 'TPCC-2025-004'?), or add it to data/awards.csv first"),
    ("end before start", "data/awards.csv", "2025-06-01,2026-05-31", "2025-06-01,2025-05-31",
     "data/awards.csv:3: end_date: '2025-05-31' is before start_date 2025-06-01; check both dates"),
    ("duplicate award id", "data/awards.csv", "TPCC-2025-004,", "tpcc-2025-001,",
     "data/awards.csv:5: id: 'tpcc-2025-001' is already used at data/awards.csv:2; give each one its own id"),
    ("large contract not tendered", "data/awards.csv", "contract,open-tender,300000", "contract,invited,300000",
     "data/awards.csv:5: route: 'invited' for a contract of 300000 (above the tender threshold of 214904.00); use open-tender or competitive-dialogue, or explain in justification why it was not tendered"),
    ("direct award without justification", "data/awards.csv", "Renewal of a successful pilot with the same provider.", "",
     "data/awards.csv:4: justification: is required for route direct-award; say why there was no competition"),
    ("provider id that is not an org-id", "data/providers.csv", "360G-testshirepcc-youth-club,Riverside", "Riverside Youth,Riverside",
     "data/providers.csv:4: id: 'Riverside Youth' is not an org-id; use GB-CHC-<charity number>, GB-COH-<company number>, or 360G-testshirepcc-riverside-youth-club for an unregistered group"),
    ("payment outside its financial year", "data/payments/2025-26.csv", "2026-03-02,", "2026-04-01,",
     "data/payments/2025-26.csv:4: date: '2026-04-01' is outside the financial year 2025-26 (2025-04-01 to 2026-03-31); move the row to the right year's file"),
    ("payment to the wrong provider", "data/payments/2025-26.csv", "2025-07-04,360G-testshirepcc-youth-club", "2025-07-04,GB-CHC-1000001",
     "data/payments/2025-26.csv:3: provider_id: 'GB-CHC-1000001' is not the provider of award TPCC-2025-002 (360G-testshirepcc-youth-club); check the provider or the award"),
    ("payment to an unknown award", "data/payments/2025-26.csv", "TPCC-2025-002,1000", "TPCC-2025-099,1000",
     "data/payments/2025-26.csv:3: award_id: 'TPCC-2025-099' is not an award id; check the spelling, or add it to data/awards.csv first"),
    ("paid before the invoice arrived", "data/payments/2025-26.csv", "2025-04-28", "2025-05-28",
     "data/payments/2025-26.csv:2: invoice_received: '2025-05-28' is after the date paid 2025-05-05; check both dates"),
    ("month not YYYY-MM", "data/payments/2025-26.csv", ",2025-06\n", ",June 2025\n",
     "data/payments/2025-26.csv:3: period: 'June 2025' is not a month; write YYYY-MM, for example 2026-03"),
    ("weights not summing to 100", "data/opportunities/OPP-2026-002.md", "weight: 30", "weight: 20",
     "data/opportunities/OPP-2026-002.md:21: evaluation_criteria: weights add up to 90; they must add up to 100"),
    ("closes before it opens", "data/opportunities/OPP-2026-002.md", "closes: 2027-01-12T12:00", "closes: 2026-11-01T12:00",
     "data/opportunities/OPP-2026-002.md:15: closes: '2026-11-01T12:00' is not after opens 2026-11-02T09:00; check both"),
    ("event that ends before it starts", "data/opportunities/OPP-2026-002.md", "end: 2026-11-18T12:00", "end: 2026-11-18T09:00",
     "data/opportunities/OPP-2026-002.md:31: events[1].end: ends at 2026-11-18T09:00, not after it starts at 2026-11-18T10:00; check both"),
    ("id that cannot be a web address", "data/awards.csv", "TPCC-2025-002,Youth", "TPCC/2025/002,Youth",
     "data/awards.csv:3: id: 'TPCC/2025/002' has characters a web address cannot hold; use only letters, digits and hyphens, for example BPCC-2025-014"),
    ("id that does not match the file", "data/opportunities/OPP-2026-002.md", "id: OPP-2026-002", "id: OPP-2026-003",
     "data/opportunities/OPP-2026-002.md:2: id: 'OPP-2026-003' does not match the file name 'OPP-2026-002'; rename the file or change the id"),
    ("typo in a field name", "data/opportunities/OPP-2026-002.md", "decision_by:", "decison_by:",
     "data/opportunities/OPP-2026-002.md:16: decison_by: is not a field we know; check its spelling (known fields: apply_email, apply_url, areas, award_type, clarification_deadline, clarifications, closes, contact_email, decision_by, documents, duration_months, eligibility, evaluation_criteria, events, extension_months, find_a_tender, funding_envelope, funding_stream, id, max_award, min_award, not_funded, opens, panel, priorities, route, service_start, summary, title, updates, who_can_apply, withdrawn)"),
    ("impossible date-time", "data/opportunities/OPP-2026-002.md", "opens: 2026-11-02T09:00", "opens: 2024-13-01T09:00",
     "data/opportunities/OPP-2026-002.md:14: opens: '2024-13-01T09:00' is not a real date and time; write YYYY-MM-DDTHH:MM in UK time, for example 2026-03-31T12:00"),
    ("time skipped by the clocks going forward", "data/opportunities/OPP-2026-002.md", "start: 2026-11-18T10:00", "start: 2026-03-29T01:30",
     "data/opportunities/OPP-2026-002.md:30: events[1].start: '2026-03-29T01:30' does not exist in UK time (the clocks go forward that night); choose another time"),
    ("who can apply with an unknown type", "data/opportunities/OPP-2026-002.md", "  - community-interest-company", "  - individuals",
     "data/opportunities/OPP-2026-002.md:18: who_can_apply: 'individuals' is not an organisation type; use charity, charitable-incorporated-organisation, community-interest-company, social-enterprise, community-group, public-body, private-company"),
    ("large contract opportunity not tendered", "data/opportunities/OPP-2026-002.md", "award_type: grant\nroute: open-call\nfunding_envelope: 90000", "award_type: contract\nroute: open-call\nfunding_envelope: 900000",
     "data/opportunities/OPP-2026-002.md:9: route: 'open-call' for a contract of 900000 (above the tender threshold of 214904.00); use open-tender or competitive-dialogue"),
    ("local document that is not there", "data/opportunities/OPP-2026-002.md", "apply_url:", "documents:\n  - title: Specification\n    url: documents/missing.pdf\napply_url:",
     "data/opportunities/OPP-2026-002.md:35: documents[1].url: 'documents/missing.pdf' is not a file under content/; add the file or correct the path"),
    ("neither apply_url nor apply_email", "data/opportunities/OPP-2026-002.md", "apply_url: https://apply.example/opp-2026-002\n", "",
     "data/opportunities/OPP-2026-002.md:1: apply_url: is missing: give apply_url (a web address) or apply_email so bidders know how to apply"),
    ("max award above the envelope", "data/opportunities/OPP-2026-002.md", "max_award: 90000", "max_award: 95000",
     "data/opportunities/OPP-2026-002.md:13: max_award: 95000 is more than the funding_envelope 90000; check both"),
    ("email address in free text", "data/awards.csv", "Out-of-hours support line.", "Out-of-hours support line run by jo.bloggs@gmail.com",
     "data/awards.csv:5: description: 'jo.bloggs@gmail.com' looks like an email address; name the organisation or role instead; contact_email and apply_email are the only places for an address"),
    ("phone number in free text", "data/payments/2025-26.csv", "Refund of unspent funds", "Refund: call 01234 567890",
     "data/payments/2025-26.csv:4: description: '01234 567890' looks like a phone number; remove it: publish no phone numbers"),
    ("postcode in the specification", "data/opportunities/OPP-2026-002.md", "need specialist advocacy.", "need advocacy at the refuge, MK40 1AB.",
     "data/opportunities/OPP-2026-002.md:39: specification: 'MK40 1AB' looks like a full postcode; remove it: give a town or area, never a street address"),
    ("YAML anchor", "data/funder.yaml", "  - code: victims\n", "  - &v code: victims\n",
     "data/funder.yaml:15: uses a YAML anchor or alias (& or *); write the value out in full"),
    ("YAML key given twice", "data/funder.yaml", "payment_terms_days: 30\n", "payment_terms_days: 30\npayment_terms_days: 28\n",
     "data/funder.yaml:10: payment_terms_days: is given twice; keep one"),
    ("YAML that does not parse", "data/opportunities/OPP-2026-002.md", "summary: A grant for", "summary: [A grant for",
     "data/opportunities/OPP-2026-002.md:5: is not valid YAML (did not find expected ',' or ']'); check indentation, and put quotes around text containing ': ' or '#'"),
    ("list where a value belongs", "data/funder.yaml", "payment_terms_days: 30", "payment_terms_days: [30]",
     "data/funder.yaml:9: payment_terms_days: must be a single value, not a list; write it on one line"),
    ("payments file not named for a year", "data/payments/2025-26.csv", "", "",
     None),  # replaced below
]
CASES = [c for c in CASES if c[4] is not None]


@pytest.mark.parametrize("case,file,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_file_line_field_and_advice(minimal_project, case, file, old, new, expected):
    minimal_project.replace(file, old, new)
    result = minimal_project.check()
    assert result.code == 1
    assert expected in result.problems, "\n".join(result.problems)
    assert "Traceback" not in result.err


def test_csv_header_problems_are_one_each_not_one_per_row(minimal_project):
    minimal_project.replace("data/awards.csv", "id,title,description,", "id,title,descripton,")
    result = minimal_project.check()
    assert result.problems == [
        "data/awards.csv:1: description: is a required column but the header row does not have it; add it",
        "data/awards.csv:1: descripton: is not a column we know; check the spelling of the heading (known columns: id, title, description, provider_id, funding_stream, priorities, award_type, route, amount_awarded, award_date, start_date, end_date, opportunity_id, co_commissioners, justification, contract_document, extends, light_touch, areas, conditions, reasons, decision_record, decision_record_url, vat_not_recoverable, review_date, find_a_tender, recommissioning, recommissioning_route, recommissioning_date, recommissioning_note)",
    ]


def test_a_row_error_names_its_physical_line_after_a_multi_line_cell(minimal_project):
    minimal_project.replace("data/awards.csv", "Emotional and practical support for victims.",
                            '"Emotional and practical support\nfor victims,\nin three lines."')
    minimal_project.replace("data/awards.csv", "grant,invited,12000", "grant,invited,12k")
    result = minimal_project.check()
    assert result.problems == [
        "data/awards.csv:5: amount_awarded: '12k' is not an amount in pounds; write digits only, for example 12500 or 12500.50 (no £ or commas)",
    ]


def test_every_problem_in_the_run_is_reported_sorted_by_file_and_line_with_a_count(minimal_project):
    minimal_project.replace("data/payments/2025-26.csv", "4166.67", "4,166.67")
    minimal_project.replace("data/awards.csv", "2025-06-01,2026-05-31", "2025-06-01,2025-05-31")
    minimal_project.replace("data/awards.csv", "150000", "lots")
    minimal_project.replace("data/funder.yaml", "payment_terms_days: 30", "payment_terms_days: thirty")
    result = minimal_project.check()
    files_and_lines = [p.split(": ")[0] for p in result.problems]
    assert files_and_lines == ["data/awards.csv:2", "data/awards.csv:3", "data/funder.yaml:9", "data/payments/2025-26.csv:2"]
    assert result.err.strip().endswith("4 problems found: nothing was published.")


def test_a_row_with_too_many_cells_is_one_problem(minimal_project):
    minimal_project.replace("data/awards.csv", ",150000,", ",12,500,")
    result = minimal_project.check()
    assert result.problems == [
        "data/awards.csv:2: has 18 cells but the header has 17 columns; a comma inside text needs the whole cell in double quotes",
    ]


def test_a_payments_file_not_named_for_a_financial_year(minimal_project):
    minimal_project.write("data/payments/2025.csv", minimal_project.read("data/payments/2025-26.csv"))
    result = minimal_project.check()
    assert "data/payments/2025.csv: is not named for a financial year; name it like 2025-26.csv (1 April 2025 to 31 March 2026)" in result.problems


@pytest.mark.parametrize("content,expected", [
    (b"", "data/awards.csv: is empty; it needs at least a header row or some fields"),
    (b"id,title\n\xff\xfeBPCC,caf\xe9\n", "data/awards.csv:2: is not UTF-8 text (byte 0xff); save it as UTF-8 (in Excel: Save As, CSV UTF-8)"),
    (b"PK\x03\x04\x00\x00binary", "data/awards.csv: is a binary file, not text; save it as UTF-8 text (in Excel: Save As, CSV UTF-8)"),
], ids=["empty", "not UTF-8", "binary"])
def test_unreadable_files_are_problems_not_crashes(minimal_project, content, expected):
    minimal_project.write("data/awards.csv", content)
    result = minimal_project.check()
    assert result.code == 1
    assert expected in result.problems
    assert "Traceback" not in result.err


def test_a_missing_data_folder_is_a_problem(minimal_project):
    import shutil

    shutil.rmtree(minimal_project.path("data"))
    result = minimal_project.check()
    assert result.code == 1
    assert result.problems[0].startswith("data: folder is missing;")


def test_a_byte_order_mark_from_excel_is_fine(minimal_project):
    minimal_project.write("data/providers.csv", "\ufeff" + minimal_project.read("data/providers.csv"))
    assert minimal_project.check().code == 0


def test_yaml_words_stay_text(minimal_project):
    """`no` is a name, not False; `2024-01-01` in a text field is text, not a date."""
    from commissioning.load.loader import read_dataset

    minimal_project.replace("data/funder.yaml", "name: Testshire Police and Crime Commissioner", "name: no")
    minimal_project.replace("data/funder.yaml", "title: Prevention", "title: 2024-01-01")
    dataset, problems = read_dataset(minimal_project.path("data"), minimal_project.path("content"), minimal_project.root)
    assert problems == []
    assert dataset.funder.name == "no"
    assert dataset.funder.priorities[0].title == "2024-01-01"


def test_github_annotations_name_file_and_line(minimal_project):
    minimal_project.replace("data/awards.csv", "150000", "lots")
    result = minimal_project.check(github=True)
    assert "::error file=data/awards.csv,line=2::amount_awarded: 'lots' is not an amount in pounds" in result.out


def test_content_page_without_a_title_or_with_a_phone_number(minimal_project):
    minimal_project.write("content/pages/help.md", "Slug: help\n\nRing us on 01234 567890.\n")
    result = minimal_project.check()
    assert result.problems == [
        "content/pages/help.md:1: Title: is missing; start the page with a line like `Title: How we commission services`",
        "content/pages/help.md:3: text: '01234 567890' looks like a phone number; remove it: publish no phone numbers",
    ]
