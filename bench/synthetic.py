"""A synthetic but valid data set at scale, for the benchmark: `python bench/synthetic.py FOLDER`.

Writes FOLDER/data/ (funder.yaml copied from the repository, providers.csv, awards.csv,
opportunities/*.md, payments/<financial year>.csv) and FOLDER/content/ (copied from the repository).
Everything is fictional, made from word lists with a fixed seed, so the same arguments always give
the same files. The data passes every validation rule: references resolve, payments fall inside
their financial year and go to their award's provider, evaluation weights add up to 100, contracts
above the tender threshold are tendered, direct awards are justified, and free text holds no digits
that could look like a phone number or a postcode.

Default size: 10,000 awards, 2,000 providers, 1,000 opportunities, 200,000 payments over 5
financial years.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_NOW = "2026-11-24T09:00"


@dataclass(frozen=True)
class Size:
    awards: int = 10_000
    providers: int = 2_000
    opportunities: int = 1_000
    payments: int = 200_000
    years: int = 5

    def scaled(self, factor: float) -> "Size":
        return Size(max(1, round(self.awards * factor)), max(1, round(self.providers * factor)),
                    max(1, round(self.opportunities * factor)), max(0, round(self.payments * factor)), self.years)

    def describe(self) -> str:
        return (f"{self.awards:,} awards, {self.providers:,} providers, {self.opportunities:,} opportunities, "
                f"{self.payments:,} payments over {self.years} financial years")


DEFAULT = Size()

# --- word lists (no digits anywhere: free text must never look like a phone number or postcode) ---

PLACES = [
    "Ashbury", "Brackenford", "Cressing Vale", "Dunmere", "Elmstead", "Fallowfield", "Greywater", "Hollin Cross",
    "Ivybridge Heath", "Juniper Down", "Kestrel Marsh", "Larkhill Green", "Millbrook", "Northam Fields", "Oakhanger",
    "Pennyford", "Quarry End", "Rushmere", "Saltings", "Thornbury Edge", "Upwood", "Vicarage Common", "Westwater",
    "Yarrow Bridge",
]
ADJECTIVES = [
    "Amber", "Beacon", "Bright", "Calm", "Clear", "Compass", "Open", "Haven", "Harbour", "Kind", "Lantern", "Lighthouse",
    "New", "North Star", "Oak", "Pathway", "Rainbow", "Riverside", "Safe", "Second", "Steady", "Together", "True",
    "Willow", "Anchor", "Bridge", "Cedar", "Meadow", "Summit", "Horizon",
]
NOUNS = [
    "Futures", "Voices", "Steps", "Roots", "Circle", "Partnership", "Alliance", "Network", "Collective", "Foundation",
    "Project", "Trust", "Hub", "Centre", "House", "Forum", "Works", "Way", "Point", "Place",
]
KINDS = {
    "charity": ["Trust", "Charity", "Foundation", "Association"],
    "charitable-incorporated-organisation": ["CIO", "Community Trust"],
    "community-interest-company": ["CIC", "Community Interest Company"],
    "social-enterprise": ["Social Enterprise", "Enterprises"],
    "community-group": ["Residents Group", "Neighbourhood Watch", "Friends Group", "Youth Club"],
    "public-body": ["Council", "Health Partnership", "Schools Partnership"],
    "private-company": ["Ltd", "Services Ltd", "Consulting Ltd"],
}
ORGANISATION_TYPES = list(KINDS)
NATO = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo", "Lima",
        "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey",
        "Xray", "Yankee", "Zulu"]
TYPE_WEIGHTS = [30, 15, 12, 8, 20, 5, 10]

SERVICES = [
    "Independent domestic violence advocacy", "Sexual violence support", "Victim and witness care",
    "Restorative justice", "Youth diversion", "Early intervention mentoring", "Modern slavery outreach",
    "Hate crime reporting", "Stalking advocacy", "Counselling for children and young people",
    "Rural crime prevention", "Substance misuse support", "Reoffending reduction", "Street safety patrols",
    "Night-time economy safety", "Fraud and scam prevention", "Knife crime education", "Online safety education",
    "Family support", "Anti-social behaviour mediation", "Perpetrator behaviour change", "Peer support",
]
GROUPS = [
    "adults", "young people", "children and families", "older people", "victims of crime", "people at risk",
    "survivors", "communities", "students", "carers",
]
PURPOSES = [
    "gives practical and emotional support", "offers safe spaces and trusted adults", "reaches people early",
    "works alongside police and partners", "helps people cope and recover", "builds confidence and skills",
    "reduces the risk of harm", "brings neighbours together", "supports people through the courts",
    "tests a new approach that could be commissioned at scale",
]
JUSTIFICATIONS = [
    "Continuation of a specialist service while the joint recommissioning with partners completes.",
    "The only provider with the accreditation needed for this specialist service in the area.",
    "A short extension to keep support running for people already in the service.",
    "Match funding for a national programme that names the delivery partner.",
]
CO_COMMISSIONERS = [
    "NHS Integrated Care Board", "Probation Service", "County Council", "Borough Council", "Community Safety Partnership",
]
LINES = {
    "grant": ["staff costs", "running costs", "training and clinical supervision", "volunteer and participant expenses"],
    "contract": ["service delivery", "management and overheads", "training and supervision", "case management system"],
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CRITERIA = ["Quality", "Social value", "Value for money", "Local and community knowledge", "Partnership working",
            "Lived experience"]
WEIGHT_SETS = [[60, 10, 30], [50, 25, 10, 15], [40, 20, 20, 20], [70, 30], [45, 15, 25, 15], [100]]
GRANT_ROUTES = ["open-call", "open-call", "invited", "direct-award"]
SMALL_CONTRACT_ROUTES = ["open-tender", "invited", "single-tender-action"]
BIG_CONTRACT_ROUTES = ["open-tender", "open-tender", "competitive-dialogue"]
UNCOMPETED = ("direct-award", "single-tender-action")

AWARD_HEADER = ["id", "title", "description", "provider_id", "funding_stream", "priorities", "award_type", "route",
                "amount_awarded", "award_date", "start_date", "end_date", "opportunity_id", "co_commissioners",
                "justification", "contract_document", "extends", "conditions", "reasons", "decision_record"]
PROVIDER_HEADER = ["id", "name", "organisation_type", "charity_number", "company_number", "website", "locality",
                   "real_living_wage", "pension_scheme", "no_zero_hours", "policies_in_place"]
PAYMENT_HEADER = ["date", "provider_id", "award_id", "amount", "description", "invoice_received", "period"]


# --- dates -------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def financial_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def financial_year(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def money(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --- the generator -----------------------------------------------------------------------------


class Generator:
    def __init__(self, size: Size, seed: int, now: dt.datetime, funder: dict):
        self.size = size
        self.rng = random.Random(seed)
        self.now = now
        self.today = now.date()
        self.funder = funder
        self.prefix = funder["grant_id_prefix"]
        threshold = funder.get("tender_threshold") or funder["tender_thresholds"][-1]["standard"]
        self.threshold = int(Decimal(str(threshold)) * 100)  # pence
        self.streams = [s["code"] for s in funder["funding_streams"]]
        self.priorities = [p["code"] for p in funder["priorities"]]
        self.contact = funder["contact_email"]
        self.first_day = dt.date(financial_year_start(self.today).year - (size.years - 1), 4, 1)

    # providers ----------------------------------------------------------------------------

    def providers(self) -> list[dict]:
        rng, out, used = self.rng, [], set()
        for index in range(self.size.providers):
            kind = rng.choices(ORGANISATION_TYPES, TYPE_WEIGHTS)[0]
            place = PLACES[index % len(PLACES)]
            base = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(KINDS[kind])}"
            name = f"{place} {base}"
            extra = 0
            while name.lower() in used:  # unique names (the slug is the id of a group), without digits
                extra += 1
                name = f"{place} {base} {NATO[extra % len(NATO)]}"
                if extra >= len(NATO):
                    name += f" {NATO[extra // len(NATO) % len(NATO)]}"
                if extra >= len(NATO) ** 2:
                    name += f" {NATO[extra // len(NATO) ** 2 % len(NATO)]}"
            used.add(name.lower())
            slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
            while "--" in slug:
                slug = slug.replace("--", "-")
            charity = company = ""
            if kind in ("charity", "charitable-incorporated-organisation"):
                charity = str(1_400_000 + index)
                pid = f"GB-CHC-{charity}"
            elif kind in ("community-interest-company", "social-enterprise", "private-company"):
                company = f"{20_000_000 + index:08d}"
                pid = f"GB-COH-{company}"
            else:
                pid = f"{self.prefix}-{slug}"
            answers = ["yes", "yes", "yes", "no", ""]
            out.append({
                "id": pid, "name": name, "organisation_type": kind, "charity_number": charity,
                "company_number": company,
                "website": f"https://{slug}.example" if rng.random() < 0.7 else "",
                "locality": place if rng.random() < 0.9 else "",
                "real_living_wage": rng.choice(answers), "pension_scheme": rng.choice(answers),
                "no_zero_hours": rng.choice(answers), "policies_in_place": rng.choice(answers),
            })
        return out

    # opportunities ------------------------------------------------------------------------

    def opportunities(self) -> list[dict]:
        rng, out = self.rng, []
        span = (self.today - self.first_day).days
        for index in range(self.size.opportunities):
            # Mostly past, a few around now (open, closing soon) and a few to come.
            roll = rng.random()
            if roll < 0.04:
                opens = self.now + dt.timedelta(days=rng.randint(7, 90))
            elif roll < 0.10:
                opens = self.now - dt.timedelta(days=rng.randint(1, 40))
            else:
                opens = dt.datetime.combine(self.first_day + dt.timedelta(days=rng.randint(0, span - 60)), dt.time())
            opens = opens.replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None)
            closes = (opens + dt.timedelta(days=rng.randint(21, 70))).replace(hour=12)
            service = rng.choice(SERVICES)
            group = rng.choice(GROUPS)
            place = rng.choice(PLACES)
            award_type = rng.choice(["grant", "grant", "contract"])
            envelope = rng.randrange(20_000, 600_000, 1_000) * 100 if award_type == "contract" else rng.randrange(5_000, 200_000, 500) * 100
            if award_type == "contract":
                route = rng.choice(BIG_CONTRACT_ROUTES if envelope > self.threshold else SMALL_CONTRACT_ROUTES[:2])
            else:
                route = rng.choice(["open-call", "open-call", "invited"])
            record = {
                "id": f"OPP-{opens.year}-{index + 1:05d}",
                "title": f"{service} for {group} in {place}",
                "service": service, "group": group, "place": place,
                "funding_stream": rng.choice(self.streams),
                "priorities": rng.sample(self.priorities, rng.randint(1, min(3, len(self.priorities)))),
                "award_type": award_type, "route": route, "envelope": envelope,
                "duration_months": rng.choice([6, 12, 18, 24, 36]),
                "opens": opens, "closes": closes,
                "withdrawn": rng.random() < 0.03,
            }
            out.append(record)
        return out

    def opportunity_file(self, o: dict) -> str:
        rng = self.rng
        envelope = o["envelope"]
        summary = f"A {o['award_type']} for a service that {rng.choice(PURPOSES)} for {o['group']} in {o['place']}."
        lines = [
            "---",
            "# SYNTHETIC BENCHMARK DATA: fictional.",
            f"id: {o['id']}",
            f"title: {yaml_text(o['title'])}",
            f"summary: {yaml_text(summary)}",
            f"funding_stream: {o['funding_stream']}",
            "priorities:",
            *[f"  - {code}" for code in o["priorities"]],
            f"award_type: {o['award_type']}",
            f"route: {o['route']}",
            f"funding_envelope: {money(envelope)}",
            f"duration_months: {o['duration_months']}",
        ]
        if rng.random() < 0.4:
            lines.append(f"extension_months: {rng.choice([6, 12])}")
        if rng.random() < 0.6:
            low = envelope // 10 // 100 * 100
            lines += [f"min_award: {money(low)}", f"max_award: {money(envelope)}"]
        lines += [f"opens: {stamp(o['opens'])}", f"closes: {stamp(o['closes'])}"]
        if rng.random() < 0.5:
            middle = o["opens"] + (o["closes"] - o["opens"]) / 2
            lines.append(f"clarification_deadline: {stamp(middle.replace(hour=12, minute=0))}")
        decision = o["closes"].date() + dt.timedelta(days=rng.randint(14, 45))
        lines += [f"decision_by: {decision}", f"service_start: {decision + dt.timedelta(days=rng.randint(30, 90))}"]
        lines.append("who_can_apply:")
        lines += [f"  - {kind}" for kind in rng.sample(ORGANISATION_TYPES[:5], rng.randint(1, 4))]
        lines.append("evaluation_criteria:")
        weights = rng.choice(WEIGHT_SETS)
        for criterion, weight in zip(rng.sample(CRITERIA, len(weights)), weights):
            lines += [f"  - criterion: {criterion}", f"    weight: {weight}"]
            if rng.random() < 0.5:
                lines.append(f"    description: {yaml_text('Shows how the service ' + rng.choice(PURPOSES) + '.')}")
        if rng.random() < 0.5:
            start = (o["opens"] + dt.timedelta(days=7)).replace(hour=10)
            lines += ["events:", "  - title: Provider engagement event", f"    start: {stamp(start)}",
                      f"    end: {stamp(start + dt.timedelta(hours=2))}", "    location: Online"]
            if rng.random() < 0.5:
                lines.append(f"    booking_url: https://events.example/{o['id'].lower()}")
        if rng.random() < 0.7:
            lines += ["documents:", "  - title: Specification",
                      f"    url: https://documents.example/{o['id'].lower()}/specification.pdf"]
        if rng.random() < 0.5:
            lines.append(f"apply_url: https://apply.example/{o['id'].lower()}")
        else:
            lines.append(f"apply_email: {self.contact}")
        lines.append(f"contact_email: {self.contact}")
        if o["withdrawn"]:
            lines.append(f"withdrawn: {yaml_text('Withdrawn because the funding for it was not confirmed.')}")
        lines.append("---")
        lines += [
            "", "## What we want to fund", "",
            f"A service that {rng.choice(PURPOSES)} for {o['group']} in {o['place']}. "
            f"It {rng.choice(PURPOSES)}, and it {rng.choice(PURPOSES)}.", "",
            "## What the service will do", "",
            *[f"- It {purpose}." for purpose in rng.sample(PURPOSES, 3)], "",
            "## Outcomes", "",
            "| outcome | how we will know |", "|---|---|",
            "| people feel safer | what people tell us |", "| fewer repeat incidents | partner data |", "",
        ]
        return "\n".join(lines)

    # awards -------------------------------------------------------------------------------

    def awards(self, providers: list[dict], opportunities: list[dict]) -> list[dict]:
        rng, out = self.rng, []
        total = self.size.awards
        # Some closed, not withdrawn opportunities were awarded: their awards follow them.
        closed = [o for o in opportunities if not o["withdrawn"] and o["closes"] < self.now - dt.timedelta(days=30)]
        from_opportunities = []
        for o in closed:
            if rng.random() < 0.6 and len(from_opportunities) < total // 5:
                from_opportunities += [o] * rng.randint(1, 3)
        from_opportunities = from_opportunities[: total // 5]
        shares = Counter(o["id"] for o in from_opportunities)
        by_provider: dict[str, list[dict]] = {}
        last_award = self.today + dt.timedelta(days=-7)
        span = (last_award - (self.first_day - dt.timedelta(days=730))).days
        for index in range(total):
            number = index + 1
            provider = providers[rng.randrange(len(providers))]
            earlier = by_provider.get(provider["id"])
            extends = None
            if earlier and rng.random() < 0.08:
                extends = earlier[-1]
                if dt.date.fromisoformat(extends["end_date"]) - dt.timedelta(days=10) > self.today:
                    extends = None  # its award would be dated in the future
            o = from_opportunities[index] if index < len(from_opportunities) else None
            if extends is not None:
                award_type, route = extends["award_type"], "direct-award" if extends["award_type"] == "grant" else "single-tender-action"
                start = dt.date.fromisoformat(extends["end_date"]) + dt.timedelta(days=1)
                award_date = min(start - dt.timedelta(days=rng.randint(10, 60)), self.today)
                months = rng.choice([6, 12])
                amount = rng.randrange(2_000, 100_000, 50) * 100
                stream, priorities = extends["funding_stream"], extends["priorities"]
                title = extends["title"]
                if not title.endswith("(extension)"):
                    title = f"{title} (extension)"
                title = title[:120]
            elif o is not None:
                award_type, route = o["award_type"], o["route"]
                award_date = o["closes"].date() + dt.timedelta(days=rng.randint(14, 30))
                start = award_date + dt.timedelta(days=rng.randint(7, 60))
                months = o["duration_months"]
                count = shares[o["id"]]
                amount = max(100_000, o["envelope"] // count // 100 * 100)
                stream, priorities = o["funding_stream"], ";".join(o["priorities"])
                title = o["title"]
            else:
                award_type = rng.choice(["grant", "grant", "grant", "contract", "contract"])
                award_date = self.first_day - dt.timedelta(days=730) + dt.timedelta(days=rng.randint(0, span))
                start = award_date + dt.timedelta(days=rng.randint(7, 90))
                months = rng.choice([6, 12, 12, 24, 36, 48])
                if award_type == "grant":
                    amount = rng.randrange(2_000, 150_000, 50) * 100
                    route = rng.choice(GRANT_ROUTES)
                else:
                    amount = rng.randrange(20_000, 900_000, 100) * 100
                    route = rng.choice(BIG_CONTRACT_ROUTES if amount > self.threshold else SMALL_CONTRACT_ROUTES)
                stream = rng.choice(self.streams)
                priorities = ";".join(rng.sample(self.priorities, rng.randint(1, min(3, len(self.priorities)))))
                title = f"{rng.choice(SERVICES)} for {rng.choice(GROUPS)} in {rng.choice(PLACES)}"
            end = add_months(start, months) - dt.timedelta(days=1)
            award = {
                "id": f"SYN-{award_date.year}-{number:05d}",
                "title": title,
                "description": f"A service that {rng.choice(PURPOSES)} for {rng.choice(GROUPS)}. It {rng.choice(PURPOSES)}.",
                "provider_id": provider["id"],
                "funding_stream": stream,
                "priorities": priorities,
                "award_type": award_type,
                "route": route,
                "amount_awarded": money(amount),
                "award_date": award_date.isoformat(),
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "opportunity_id": o["id"] if o is not None and extends is None else "",
                "co_commissioners": ";".join(rng.sample(CO_COMMISSIONERS, rng.randint(1, 2))) if rng.random() < 0.15 else "",
                "justification": rng.choice(JUSTIFICATIONS) if route in UNCOMPETED else "",
                "contract_document": f"https://documents.example/contracts/syn-{number:05d}.pdf" if award_type == "contract" and rng.random() < 0.5 else "",
                "extends": extends["id"] if extends is not None else "",
                # What the Specified Information Order asks of every grant (funder.yaml statutory_from).
                "conditions": "Quarterly returns; underspends returned" if award_type == "grant" else "",
                "reasons": "It reaches people at risk of harm or of offending" if award_type == "grant" else "",
                "decision_record": f"SYN/D/{award_date.year}/{number:05d}" if award_type == "grant" else "",
                "_pence": amount, "_start": start, "_end": end, "_months": months,
            }
            out.append(award)
            by_provider.setdefault(provider["id"], []).append(award)
        return out

    # payments -----------------------------------------------------------------------------

    def payments(self, awards: list[dict], providers: list[dict]) -> dict[str, list[list[str]]]:
        """Monthly in arrears: the payment for a month (its period) is made in the month after."""
        rng, target = self.rng, self.size.payments
        last_month = month_start(self.today)
        first_month = self.first_day
        slots = []  # (award, period): periods whose payment month falls inside the window
        for award in awards:
            period = month_start(award["_start"])
            end = award["_end"]
            while period <= end:
                paid_month = add_months(period, 1)
                if paid_month > last_month:
                    break
                if paid_month >= first_month:
                    slots.append((award, period))
                period = paid_month
        one_offs = target // 50  # payments for no award
        refunds = target // 300
        wanted = max(0, target - one_offs - refunds)
        if not slots:
            one_offs, wanted = target - refunds, 0
        lines_for: list[int]
        if wanted <= len(slots):
            chosen = rng.sample(range(len(slots)), wanted)
            lines_for = [0] * len(slots)
            for i in chosen:
                lines_for[i] = 1
        else:
            base, extra = divmod(wanted, len(slots))
            lines_for = [base] * len(slots)
            for i in rng.sample(range(len(slots)), extra):
                lines_for[i] += 1
        rows: list[list[str]] = []
        for (award, period), count in zip(slots, lines_for):
            if not count:
                continue
            paid_month = add_months(period, 1)
            latest = self.today.day if paid_month == last_month else 28
            paid = paid_month.replace(day=rng.randint(1, max(1, min(28, latest))))
            monthly = award["_pence"] // award["_months"]
            invoiced = (paid - dt.timedelta(days=rng.randint(3, 40))).isoformat() if rng.random() < 0.6 else ""
            what = f"{award['award_type'].capitalize()} payment for {MONTHS[period.month - 1]} {period.year}"
            labels = LINES[award["award_type"]]
            share = max(1, monthly // count)
            for line in range(count):
                rows.append([paid.isoformat(), award["provider_id"], award["id"], money(share),
                             f"{what}: {labels[line % len(labels)]}", invoiced, f"{period:%Y-%m}"])
        paid_rows = [r for r in rows]
        for _ in range(refunds):
            if not paid_rows:
                break
            row = paid_rows[rng.randrange(len(paid_rows))]
            day = dt.date.fromisoformat(row[0]) + dt.timedelta(days=rng.randint(1, 20))
            if day > self.today or financial_year(day) != financial_year(dt.date.fromisoformat(row[0])):
                day = dt.date.fromisoformat(row[0])
            rows.append([day.isoformat(), row[1], row[2], "-" + row[3].lstrip("-"),
                         "Correction: reversal of a payment made in error", "", row[6]])
        span = (self.today - first_month).days
        for _ in range(target - len(rows)):
            provider = providers[rng.randrange(len(providers))]
            day = first_month + dt.timedelta(days=rng.randint(0, span))
            rows.append([day.isoformat(), provider["id"], "", money(rng.randrange(50, 900) * 100),
                         "Contribution to venue hire for a community safety event", "", ""])
        by_year: dict[str, list[list[str]]] = {}
        for row in sorted(rows, key=lambda r: (r[0], r[2], r[4])):
            by_year.setdefault(financial_year(dt.date.fromisoformat(row[0])), []).append(row)
        return by_year


def _write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(root: Path, size: Size = DEFAULT, seed: int = 8, now: str = DEFAULT_NOW) -> dict:
    """Write root/data/ and root/content/; return the counts written."""
    root = Path(root)
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    (data / "opportunities").mkdir(parents=True)
    (data / "payments").mkdir()
    if (root / "content").exists():
        shutil.rmtree(root / "content")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "data" / "funder.yaml", data / "funder.yaml")
    funder = yaml.safe_load((REPO / "data" / "funder.yaml").read_text(encoding="utf-8"))
    moment = dt.datetime.fromisoformat(now)
    gen = Generator(size, seed, moment, funder)

    providers = gen.providers()
    _write_csv(data / "providers.csv", PROVIDER_HEADER, ([p[c] for c in PROVIDER_HEADER] for p in providers))
    opportunities = gen.opportunities()
    for o in opportunities:
        (data / "opportunities" / f"{o['id']}.md").write_text(gen.opportunity_file(o), encoding="utf-8")
    awards = gen.awards(providers, opportunities)
    _write_csv(data / "awards.csv", AWARD_HEADER, ([a[c] for c in AWARD_HEADER] for a in awards))
    by_year = gen.payments(awards, providers)
    for year, rows in by_year.items():
        _write_csv(data / "payments" / f"{year}.csv", PAYMENT_HEADER, rows)
    return {"providers": len(providers), "awards": len(awards), "opportunities": len(opportunities),
            "payments": sum(len(r) for r in by_year.values()), "payment_files": len(by_year)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write data/ and content/ (replaced if present)")
    parser.add_argument("--awards", type=int, default=DEFAULT.awards)
    parser.add_argument("--providers", type=int, default=DEFAULT.providers)
    parser.add_argument("--opportunities", type=int, default=DEFAULT.opportunities)
    parser.add_argument("--payments", type=int, default=DEFAULT.payments)
    parser.add_argument("--years", type=int, default=DEFAULT.years)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"the build clock the data is made around (default {DEFAULT_NOW})")
    args = parser.parse_args(argv)
    size = Size(args.awards, args.providers, args.opportunities, args.payments, args.years)
    started = time.perf_counter()
    counts = generate(args.folder, size, args.seed, args.now)
    print(f"Wrote {counts} into {args.folder} in {time.perf_counter() - started:.1f}s.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
