"""Personal data (issue #20): every text field and every page's text is scanned, in every form staff
or a copied document might write it, quickly enough for a value of any size.

The build check is run on the minimal project (tests/minimal.py) with one value changed, and must
report the finding at its file, line and field, shown as it was written.
"""

from __future__ import annotations

import random
import string
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.load.models import Funder
from commissioning.load.rules.personal_data import FINDERS, find_personal_data, markdown_findings

_KINDS = {"an email address": "email", "a phone number": "phone", "a full postcode": "postcode",
          "a street address": "address", "a National Insurance number": "ni", "a date of birth": "dob"}
KIND = {_KINDS[what]: (what, advice) for _, what, advice in FINDERS}


def personal_data_problems(project) -> list[str]:
    """What the two personal-data rules report, run on the project's data directly (so that nothing
    before them, such as the check's gate on files, can stop them and leave nothing to see)."""
    from commissioning.load.loader import read_dataset
    from commissioning.load.rules import content, personal_data

    data, problems = read_dataset(project.path("data"), project.path("content"), project.root)
    errors = [p for p in problems if not getattr(p, "is_warning", False)]
    assert not errors, "\n".join(map(str, errors))
    return [str(p) for rule in (personal_data.no_personal_data_in_free_text, content.content_pages_are_sound)
            for p in rule(data)]


def message(found: str, kind: str) -> str:
    what, advice = KIND[kind]
    return f"'{found}' looks like {what}; {advice}"


OPEN = "data/opportunities/OPP-2026-002.md"

# (case, file, text to find, replacement, where: "file:line: field", what is found, its kind)
CASES = [
    ("phone in an evaluation criterion's name", OPEN, "  - criterion: Quality", "  - criterion: Quality, ask 07700 900123",
     f"{OPEN}:22: evaluation_criteria[1].criterion", "07700 900123", "phone"),
    ("email in a document title", OPEN, "apply_url:",
     "documents:\n  - title: Notes from jo.bloggs@gmail.com\n    url: https://files.example/spec.pdf\napply_url:",
     f"{OPEN}:34: documents[1].title", "jo.bloggs@gmail.com", "email"),
    ("postcode in a document title", OPEN, "apply_url:",
     "documents:\n  - title: Map of the refuge at MK40 1AB\n    url: https://files.example/map.pdf\napply_url:",
     f"{OPEN}:34: documents[1].title", "MK40 1AB", "postcode"),
    ("email in a document's query string", OPEN, "apply_url:",
     "documents:\n  - title: Form\n    url: https://files.example/form?owner=jo.bloggs%40gmail.com\napply_url:",
     f"{OPEN}:35: documents[1].url", "jo.bloggs@gmail.com", "email"),
    ("0044 number in a stream title", "data/funder.yaml", "title: Ministry of Justice victims funding",
     "title: Ministry of Justice victims funding (0044 7700 900123)",
     "data/funder.yaml:20: funding_streams[1].title", "0044 7700 900123", "phone"),
    ("address in a stream's source", "data/funder.yaml", "source: Ministry of Justice",
     "source: Ministry of Justice, 12 Acacia Avenue", "data/funder.yaml:21: funding_streams[1].source",
     "12 Acacia Avenue", "address"),
    ("hyphenated +44 number in a priority title", "data/funder.yaml", "title: Prevention",
     "title: Prevention (+44-7700-900-123)", "data/funder.yaml:13: priorities[1].title", "+44-7700-900-123", "phone"),
    ("dotted number in the funder's short name", "data/funder.yaml", "short_name: Testshire OPCC",
     "short_name: Testshire OPCC 07700.900.123", "data/funder.yaml:2: short_name", "07700.900.123", "phone"),
    ("phone in an apply_url query string", OPEN, "apply_url: https://apply.example/opp-2026-002",
     "apply_url: https://apply.example/opp-2026-002?tel=07700900123", f"{OPEN}:33: apply_url", "07700900123", "phone"),
    ("email in a provider website's query string", "data/providers.csv", "https://victimcare.example,",
     "https://victimcare.example/?contact=jo.bloggs%40gmail.com,", "data/providers.csv:2: website",
     "jo.bloggs@gmail.com", "email"),
    ("street address in a provider's locality", "data/providers.csv", "victimcare.example,Testtown,",
     "victimcare.example,12 Acacia Avenue,", "data/providers.csv:2: locality", "12 Acacia Avenue", "address"),
    ("number wrapped over two lines of a specification", OPEN, "Victims of stalking need specialist advocacy.",
     "Victims of stalking can call 07700\n900123 for advocacy.", f"{OPEN}:39: specification", "07700 900123", "phone"),
    ("&#64; in a specification", OPEN, "Victims of stalking need specialist advocacy.",
     "Write to jo.bloggs&#64;gmail.com for advocacy.", f"{OPEN}:39: specification", "jo.bloggs@gmail.com", "email"),
    ("mailto: link in a specification", OPEN, "Victims of stalking need specialist advocacy.",
     "Write to [the advocate](mailto:jo.bloggs@gmail.com).", f"{OPEN}:39: specification", "jo.bloggs@gmail.com", "email"),
    ("number in bold in a specification", OPEN, "Victims of stalking need specialist advocacy.",
     "Call 07700 **900123**.", f"{OPEN}:39: specification", "07700 900123", "phone"),
    ("full-width email in an award description", "data/awards.csv", "Out-of-hours support line.",
     "Out-of-hours support line: ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "data/awards.csv:5: description",
     "ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email"),
    ("name [at] domain [dot] org in a payment", "data/payments/2025-26.csv", "Refund of unspent funds",
     "Refund to jo [at] example [dot] org", "data/payments/2025-26.csv:4: description",
     "jo [at] example [dot] org", "email"),
    ("email with (at) in an award title", "data/awards.csv", "Youth diversion renewal",
     "Youth diversion renewal jo(at)example.org", "data/awards.csv:4: title", "jo(at)example.org", "email"),
    ("National Insurance number in a co-commissioner", "data/awards.csv", "NHS Testshire",
     "NHS Testshire AB 12 34 56 C", "data/awards.csv:5: co_commissioners[1]", "AB 12 34 56 C", "ni"),
    ("date of birth in an event title", OPEN, "title: Provider engagement event",
     "title: Provider event with Jo, born on 3 March 1990", f"{OPEN}:29: events[1].title",
     "born on 3 March 1990", "dob"),
    ("internationalised email in an event location", OPEN, "location: Online",
     "location: jö.blöggs@exämple.de", f"{OPEN}:32: events[1].location", "jö.blöggs@exämple.de", "email"),
    ("+44 (0) number in a withdrawal reason", OPEN, "apply_url:",
     "withdrawn: Call +44 (0)20 7946 0000 for details\napply_url:", f"{OPEN}:33: withdrawn",
     "+44 (0)20 7946 0000", "phone"),
    ("date of birth in an opportunity summary", OPEN, "summary: A grant for a specialist stalking advocacy service.",
     "summary: 'A grant in memory of Jo (date of birth: 03/04/1990).'", f"{OPEN}:4: summary",
     "date of birth: 03/04/1990", "dob"),
    ("bracketed area code in a content page", "content/pages/about.md", "We publish [our data]({site}/data/).",
     "Ring (01234) 567890.", "content/pages/about.md:5: text", "(01234) 567890", "phone"),
    ("number wrapped in a content page", "content/pages/about.md", "We publish [our data]({site}/data/).",
     "Ring 01234\n567890 today.", "content/pages/about.md:5: text", "01234 567890", "phone"),
    ("&#64; in a content page", "content/pages/about.md", "We publish [our data]({site}/data/).",
     "Write to jo.bloggs&#64;gmail.com.", "content/pages/about.md:5: text", "jo.bloggs@gmail.com", "email"),
    ("full-width email in a content page's summary", "content/pages/about.md", "Summary: About this site.",
     "Summary: Write to ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "content/pages/about.md:3: Summary",
     "ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email"),
    ("email in a link's query string on a content page", "content/pages/about.md", "We publish [our data]({site}/data/).",
     "Use [the form](https://forms.example/?from=jo.bloggs%40gmail.com).", "content/pages/about.md:5: text",
     "jo.bloggs@gmail.com", "email"),
]


@pytest.mark.parametrize("case,file,old,new,where,found,kind", CASES, ids=[c[0] for c in CASES])
def test_personal_data_is_reported_at_its_file_line_and_field(minimal_project, case, file, old, new, where, found, kind):
    minimal_project.replace(file, old, new)
    result = minimal_project.check()
    expected = f"{where}: {message(found, kind)}"
    assert expected in result.problems, "\n".join(result.problems)
    assert result.code == 1
    assert "Traceback" not in result.err


@pytest.mark.parametrize("text", [
    "£1,234,567 over 2024-2028 for GB-CHC-1234567, company 01234567, charity 1000001",
    "from 01/04/2025 to 31.03.2026 at 10:30, OPP-2026-003, 36 months, 2,325 payments",
    "a 0.123456789 share; about 300 Crown Court cases; a 10 minute walk from the station",
    "GB-GOR-PC000011 and 360G-testshirepcc-youth-club; invoice 2025-07-04; period 2025-06",
    "12 months from 1 April; 3 priorities; born of a partnership in 2019",
], ids=["amounts and ids", "dates and references", "numbers and courts", "org ids and dates", "numbers and words"])
def test_amounts_dates_and_ids_are_not_personal_data(minimal_project, text):
    minimal_project.replace("data/awards.csv", "Out-of-hours support line.", f'"{text}"')
    assert personal_data_problems(minimal_project) == []


def test_the_sample_data_holds_no_personal_data(sample_project):
    assert personal_data_problems(sample_project) == []


def test_the_minimal_project_holds_none_and_a_change_is_seen(minimal_project):
    assert personal_data_problems(minimal_project) == []
    minimal_project.replace("data/awards.csv", "Out-of-hours support line.", "Out-of-hours line 07700 900123.")
    assert personal_data_problems(minimal_project) == ["data/awards.csv:5: description: " + message("07700 900123", "phone")]


def test_a_web_address_is_read_only_in_its_query_string(minimal_project):
    minimal_project.replace("data/providers.csv", "https://victimcare.example,",
                            "https://victimcare.example/people/jo.bloggs@gmail.com/07700900123,")
    assert personal_data_problems(minimal_project) == []


def test_contact_and_apply_emails_are_where_addresses_go(minimal_project):
    minimal_project.replace(OPEN, "contact_email: funding@testshire-pcc.example", "contact_email: jo.bloggs@gmail.com")
    assert personal_data_problems(minimal_project) == []


def test_a_repeated_payment_description_is_reported_on_each_row(minimal_project):
    minimal_project.replace("data/payments/2025-26.csv", "Victim care April 2025", "Paid to AB123456C")
    minimal_project.replace("data/payments/2025-26.csv", "Youth diversion June 2025", "Paid to AB123456C")
    result = minimal_project.check()
    expected = "data/payments/2025-26.csv:{}: description: " + message("AB123456C", "ni")
    found = [p for p in result.problems if "looks like" in p]
    # Each row is reported; the report may show repeats of one message as one, with their lines.
    assert found in ([expected.format(2), expected.format(3)], [expected.format(2) + " (found on lines 2 and 3)"]), \
        "\n".join(result.problems)


# --- the funder's own published contact details --------------------------------------------------

ACCESSIBILITY = """\
Title: Accessibility statement

Call us on 01234 567890 (from abroad +44 1234 567890), or write to us at
Bridgebury House, 12 Acacia Avenue, Testtown MK40 1AB or funding@testshire-pcc.example.
"""


def _publish_contacts(project, monkeypatch, contacts: list[str]) -> None:
    """The contacts in funder.yaml, once the Funder model has the field; until then, on the model."""
    if "published_contacts" in Funder.model_fields:
        project.replace("data/funder.yaml", "payment_terms_days: 30",
                        "payment_terms_days: 30\npublished_contacts:\n" + "".join(f"  - {c}\n" for c in contacts))
    else:
        monkeypatch.setattr(Funder, "published_contacts", contacts, raising=False)


def test_the_funders_published_contacts_may_be_published(minimal_project, monkeypatch):
    _publish_contacts(minimal_project, monkeypatch, ["01234 567890", "12 Acacia Avenue, Testtown MK40 1AB"])
    minimal_project.write("content/pages/accessibility.md", ACCESSIBILITY)
    minimal_project.replace("data/awards.csv", "Out-of-hours support line.", "Out-of-hours support line: 01234 567890.")
    assert personal_data_problems(minimal_project) == []


def test_a_number_not_in_the_published_contacts_is_still_refused(minimal_project, monkeypatch):
    _publish_contacts(minimal_project, monkeypatch, ["01234 567890"])
    minimal_project.write("content/pages/accessibility.md", ACCESSIBILITY.replace("+44 1234 567890", "07700 900123"))
    result = minimal_project.check()
    found = [p for p in result.problems if "looks like" in p]
    assert found == [
        "content/pages/accessibility.md:3: text: " + message("07700 900123", "phone"),
        "content/pages/accessibility.md:4: text: " + message("12 Acacia Avenue", "address"),
        "content/pages/accessibility.md:4: text: " + message("MK40 1AB", "postcode"),
    ], "\n".join(result.problems)


def test_without_published_contacts_the_statement_is_refused(minimal_project):
    minimal_project.write("content/pages/accessibility.md", ACCESSIBILITY)
    found = [p for p in minimal_project.check().problems if "looks like" in p]
    assert "content/pages/accessibility.md:3: text: " + message("01234 567890", "phone") in found
    assert "content/pages/accessibility.md:3: text: " + message("+44 1234 567890", "phone") in found
    assert not [p for p in found if "funding@testshire-pcc.example" in p]  # the funder's contact_email


# --- content pages are Markdown ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["help.rst", "help.markdown", "help.mkd", "help.html", "help.MD", "notes/help.markdown"])
def test_a_content_page_that_is_not_markdown_is_refused_once(minimal_project, name):
    minimal_project.write(f"content/pages/{name}", "Title: Help\n\nCall 07700 900123.\n")
    result = minimal_project.check()
    assert result.code == 1
    # The gate on files (load/files.py) refuses it by name; nothing reads it, so nothing else is said of it.
    about = [p for p in result.problems if p.startswith(f"content/pages/{name}")]
    assert len(about) == 1 and ".md" in about[0], result.err


def test_the_content_rule_leaves_pages_that_are_not_markdown_to_the_gate(minimal_project):
    from commissioning.load.loader import load_dataset

    minimal_project.write("content/pages/help.rst", "Title: Help\n\nCall 07700 900123.\n")
    load_dataset(minimal_project.path("data"), minimal_project.path("content"), minimal_project.root)


def test_hidden_files_in_content_pages_are_not_pages(minimal_project):
    minimal_project.write("content/pages/.gitkeep", "")
    assert minimal_project.check().code == 0


# --- every form --------------------------------------------------------------------------------

FORMS = [
    ("07700 900123", "07700 900123", "phone"), ("0044 7700 900123", "0044 7700 900123", "phone"),
    ("+44-7700-900-123", "+44-7700-900-123", "phone"), ("07700.900.123", "07700.900.123", "phone"),
    ("+44 (0)20 7946 0000", "+44 (0)20 7946 0000", "phone"), ("(01234) 567890", "(01234) 567890", "phone"),
    ("call 07700900123", "07700900123", "phone"), ("0121 496 0000", "0121 496 0000", "phone"),
    ("call 07700\n900123", "07700 900123", "phone"), ("Tel ０７７００ ９００１２３", "０７７００ ９００１２３", "phone"),
    ("+44\u20107700\u2010900\u2010123", "+44\u20107700\u2010900\u2010123", "phone"),
    ("jo.bloggs@gmail.com", "jo.bloggs@gmail.com", "email"), ("jö@exämple.de", "jö@exämple.de", "email"),
    ("用户@例子.广告", "用户@例子.广告", "email"), ("ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email"),
    ("jo [at] example [dot] com", "jo [at] example [dot] com", "email"), ("jo{at}example.org", "jo{at}example.org", "email"),
    ("jo&#64;example.com", "jo&#64;example.com", "email"), ("jo&commat;example.com", "jo&commat;example.com", "email"),
    ("jose\u0301@example.com", "jos\u00e9@example.com", "email"),
    ("AB 12 34 56 C", "AB 12 34 56 C", "ni"), ("ab123456c", "ab123456c", "ni"),
    ("12 Acacia Avenue", "12 Acacia Avenue", "address"), ("Flat 3, 12-14 St Mary's Road", "12-14 St Mary's Road", "address"),
    ("3a High Street", "3a High Street", "address"), ("12 ACACIA AVENUE", "12 ACACIA AVENUE", "address"),
    ("born on 3 March 1990", "born on 3 March 1990", "dob"), ("DOB: 1990-03-04", "DOB: 1990-03-04", "dob"),
    ("d.o.b. 03/04/1990", "d.o.b. 03/04/1990", "dob"), ("Jo was born in May 1985", "born in May 1985", "dob"),
    ("MK40 1AB", "MK40 1AB", "postcode"), ("SW1A 1AA", "SW1A 1AA", "postcode"), ("M1 1AA", "M1 1AA", "postcode"),
]


@pytest.mark.parametrize("text,found,kind", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_is_found_and_shown_as_written(text, found, kind):
    assert (found, *KIND[kind]) in find_personal_data(text)


@pytest.mark.parametrize("text", [
    "01.02.2025 10:30", "£1,234,567", "GB-CHC-1234567", "2024-2028", "01234567", "0.123456789", "07700 900123 12",
    "GB123456A", "QQ123456C", "300 Crown Court cases", "a 5 minute walk", "GB-GOR-PC000011", "@example.com",
    "0" * 40, "born in 1985", "12 months", "me (at) the venue",
])
def test_what_is_not_personal_data(text):
    assert find_personal_data(text) == ()


# --- never raises, and takes time in proportion to the text -------------------------------------

ALPHABET = string.ascii_letters + string.digits + " \n\t.,;:-+()[]{}<>@&#%'/_\"!?£–’éü０７Ａ＠ｊ\u0301\u00a0"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_finding_never_raises_on_any_text(text):
    for found, what, advice in find_personal_data(text):
        assert found and what and advice


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_finding_never_raises_on_text_made_of_what_the_patterns_look_for(text):
    for found, what, advice in find_personal_data(text):
        assert found and "\n" not in found


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_markdown_is_read_without_raising_and_findings_are_on_its_lines(text):
    for line, finding in markdown_findings(text):
        assert 0 <= line < len(text.split("\n"))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FORMS), st.sampled_from([" ", "\n", ", ", " (", ": "]), st.text(string.ascii_letters, max_size=20))
def test_a_form_is_found_among_words(form, separator, words):
    text, found, kind = form
    assert (found, *KIND[kind]) in find_personal_data(f"{words}{separator}{text}{separator.strip()} {words}")


TEN_MB = 10_000_000


def _mixed() -> str:
    """Ten million characters of text: random words, capitalised words, numbers, punctuation, amounts,
    entities, accented, typographic and full-width words, and now and then personal data."""
    generator = random.Random(20)

    def word() -> str:
        kind = generator.random()
        if kind < 0.80:
            text = "".join(generator.choices(string.ascii_lowercase, k=generator.randint(1, 10)))
            text = text.capitalize() if kind > 0.70 else text
        elif kind < 0.88:
            text = "".join(generator.choices(string.digits, k=generator.randint(1, 6)))
        elif kind < 0.93:
            text = generator.choice(["£1,234", "2024-25", "(see", "notes)", "[1]", "&", "&amp;", "a@b", "@", "x.y", "+",
                                     "-", "#3", "50%", "'quoted'", '"q"', "e.g.", "a/b", "<b>", "{x}"])
        elif kind < 0.9999:
            text = generator.choice(["café", "naïve", "’s", "–", "£", "über", "ｆｕｌｌ", "Ａ１", "é", "ﬁne"])
        else:
            text = generator.choice(["jo@example.com", "07700 900123", "MK40 1AB", "12 Acacia Road", "ｊｏ＠ｅｘ．ｃｏｍ"])
        return text + generator.choice([" "] * 12 + [", ", ". ", "\n", "; ", ": "])

    words = [word() for _ in range(200_000)]
    return "".join(generator.choices(words, k=TEN_MB // 4))[:TEN_MB]


@pytest.mark.parametrize("value", ["a", "0", "@", " ", ".", "&", "\n", "(", "＠", "mixed"])
def test_a_ten_megabyte_value_is_scanned_in_under_a_second(value):
    """One unbroken value used to take quadratic time (130,000 characters: 18 s). Measured as this
    process's processor time, the best of three runs, so that other work on the machine does not decide it."""
    text = _mixed() if value == "mixed" else value * TEN_MB
    times = []
    for _ in range(3):
        start = time.process_time()
        find_personal_data(text)
        times.append(time.process_time() - start)
        if times[-1] < 1.0:
            break
    assert min(times) < 1.0, f"{value!r} * 10 MB took {min(times):.2f} s"
