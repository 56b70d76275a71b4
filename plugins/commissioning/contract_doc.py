"""Write docs/data-contract.md from the models and rules, so the documentation cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from .load.duties import DutiesFile, PublishedElsewhere
from .load.models import (
    Area, Award, Clarification, Criterion, Document, Event, Funder, FundingStream, Model, Opportunity, Payment, Priority,
    Provider, TenderThreshold, Update,
)
from .load.monitoring import MeasureReturn, QuarterReturn, SharedMeasure
from .load.rules import RULES

INTRODUCTION = """\
# The data contract

What staff edit to publish. This file is generated from the code (`make contract`); edit the field
descriptions in `plugins/commissioning/load/models.py` and the rules' docstrings, not this file.

Everything is UTF-8; CSV files are comma-separated with a header row and may start with a byte-order
mark (Excel writes one); dates are `YYYY-MM-DD`; date-times are `YYYY-MM-DDTHH:MM` in UK local time
(Europe/London); money is pounds sterling written as digits with an optional decimal point (`150000`
or `150000.00`, never `£` or commas); lists inside a CSV cell are separated by `;`. An empty cell is
the same as a missing value. In YAML every value is read as text first, so `no` stays the word no
where text is expected; anchors, aliases and keys given twice are refused.

```
data/
  funder.yaml            who publishes: identity, priorities, funding streams, thresholds
  providers.csv          every organisation that holds or has held funding
  awards.csv             the funding register: one row per grant or contract awarded
  opportunities/*.md     one file per funding opportunity: YAML front matter + Markdown
  payments/*.csv         spend: one row per payment, one file per financial year (2025-26.csv)
  monitoring/*.csv       quarterly monitoring: <year>-returns.csv (a row per award and quarter) and
                         <year>-measures.csv (a row per award, quarter and measure)
  duties.yaml            optional: the duties met on the funder's own website, with where and when
```

Fields marked "added" are optional fields this project adds to the original contract.
"""

SECTIONS = [
    ("data/funder.yaml", Funder, "field"),
    ("funder.yaml: each of `priorities`", Priority, "field"),
    ("funder.yaml: each of `funding_streams`", FundingStream, "field"),
    ("funder.yaml: each of `tender_thresholds`", TenderThreshold, "field"),
    ("funder.yaml: each of `areas`", Area, "field"),
    ("data/providers.csv", Provider, "column"),
    ("data/awards.csv", Award, "column"),
    ("data/opportunities/<id>.md", Opportunity, "field"),
    ("opportunity: each of `evaluation_criteria`", Criterion, "field"),
    ("opportunity: each of `events`", Event, "field"),
    ("opportunity: each of `documents`", Document, "field"),
    ("opportunity: each of `clarifications`", Clarification, "field"),
    ("opportunity: each of `updates`", Update, "field"),
    ("data/payments/<financial year>.csv", Payment, "column"),
    ("funder.yaml: each of `measures`", SharedMeasure, "field"),
    ("data/monitoring/<financial year>-returns.csv", QuarterReturn, "column"),
    ("data/monitoring/<financial year>-measures.csv", MeasureReturn, "column"),
    ("data/duties.yaml", DutiesFile, "field"),
    ("duties.yaml: each of `published_elsewhere`", PublishedElsewhere, "field"),
]

STATUS = """\
## Opportunity status

Status is derived, never typed: upcoming (before opens), open, closing soon (open, and closes within
14 days), closed, awarded (an award names it in `opportunity_id`), withdrawn (`withdrawn` gives a
reason). A closing date without a time means 23:59 that day.

## Personal data

Recipients are organisations. No field may hold a person's name, a personal email address, a phone
number or a street address; free text that looks like an email address, a UK phone number or a full
postcode is an error, except `contact_email` and `apply_email`. Refuge and safe-house addresses must
never appear anywhere.
"""


def _table(model: type[Model], kind: str) -> list[str]:
    lines = [f"| {kind} | required | meaning |", "|---|---|---|"]
    for name, field in model.model_fields.items():
        required = "yes" if field.is_required() else "no"
        lines.append(f"| `{name}` | {required} | {field.description or ''} |")
    return lines


def render_contract() -> str:
    parts = [INTRODUCTION]
    for title, model, kind in SECTIONS:
        parts.append(f"## {title}\n")
        parts.append("\n".join(_table(model, kind)) + "\n")
    parts.append("## Rules across records\n")
    parts.append("Besides each field's own rules, every one of these is checked on every build:\n")
    parts.extend(f"- **{rule.__name__.replace('_', ' ')}**: {(rule.__doc__ or '').strip()}" for rule in RULES)
    parts.append("")
    parts.append(STATUS)
    return "\n".join(parts)


def write_contract(root: Path) -> int:
    target = root / "docs" / "data-contract.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_contract(), encoding="utf-8")
    print(f"Wrote {target.relative_to(root)}")
    return 0
