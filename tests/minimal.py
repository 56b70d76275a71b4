"""A small, valid project whose line numbers the tests rely on. Edit with care: tests quote its lines."""

FUNDER = """\
name: Testshire Police and Crime Commissioner
short_name: Testshire OPCC
org_id: GB-GOR-PC000099
grant_id_prefix: 360G-testshirepcc
website: https://www.testshire-pcc.example
contact_email: funding@testshire-pcc.example
licence: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
tender_threshold: 214904.00
payment_terms_days: 30
illustrative: yes
priorities:
  - code: prevention
    title: Prevention
    description: Stop crime before it happens.
  - code: victims
    title: Victims at the heart
    description: Support victims to cope and recover.
funding_streams:
  - code: moj-victims
    title: Ministry of Justice victims funding
    source: Ministry of Justice
    description: Support services for victims of crime.
  - code: community-safety-fund
    title: Community Safety Fund
    source: Police and Crime Commissioner
    description: Flexible local grants.
"""

PROVIDERS = """\
id,name,organisation_type,charity_number,company_number,website,locality,real_living_wage,pension_scheme,no_zero_hours,policies_in_place
GB-CHC-1000001,Testshire Victim Care,charity,1000001,,https://victimcare.example,Testtown,yes,yes,yes,yes
GB-COH-00000002,Safe Steps Ltd,private-company,,00000002,,Othertown,yes,no,,
360G-testshirepcc-youth-club,Riverside Youth Club,community-group,,,,Testtown,,,,
"""

AWARDS = """\
id,title,description,provider_id,funding_stream,priorities,award_type,route,amount_awarded,award_date,start_date,end_date,opportunity_id,co_commissioners,justification,contract_document,extends
TPCC-2025-001,Victim care service,Emotional and practical support for victims.,GB-CHC-1000001,moj-victims,victims,grant,open-call,150000,2025-03-01,2025-04-01,2028-03-31,OPP-2025-001,,,,
TPCC-2025-002,Youth diversion,Activities for young people at risk.,360G-testshirepcc-youth-club,community-safety-fund,prevention,grant,invited,12000,2025-05-01,2025-06-01,2026-05-31,,,,,
TPCC-2026-003,Youth diversion renewal,Activities continue for another year.,360G-testshirepcc-youth-club,community-safety-fund,prevention;victims,grant,direct-award,12500,2026-05-01,2026-06-01,2027-05-31,,,Renewal of a successful pilot with the same provider.,,TPCC-2025-002
TPCC-2025-004,Support line contract,Out-of-hours support line.,GB-COH-00000002,moj-victims,victims,contract,open-tender,300000,2025-06-01,2025-07-01,2028-06-30,,NHS Testshire,,https://contracts.example/1,
"""

OPEN_OPPORTUNITY = """\
---
id: OPP-2026-002
title: Stalking advocacy service
summary: A grant for a specialist stalking advocacy service.
funding_stream: moj-victims
priorities:
  - victims
award_type: grant
route: open-call
funding_envelope: 90000
duration_months: 36
min_award: 20000
max_award: 90000
opens: 2026-11-02T09:00
closes: 2027-01-12T12:00
decision_by: 2027-02-15
service_start: 2027-04-01
who_can_apply:
  - charity
  - community-interest-company
evaluation_criteria:
  - criterion: Quality
    weight: 60
  - criterion: Social value
    weight: 10
  - criterion: Value for money
    weight: 30
events:
  - title: Provider engagement event
    start: 2026-11-18T10:00
    end: 2026-11-18T12:00
    location: Online
apply_url: https://apply.example/opp-2026-002
contact_email: funding@testshire-pcc.example
---

## The need

Victims of stalking need specialist advocacy.
"""

AWARDED_OPPORTUNITY = """\
---
id: OPP-2025-001
title: Victim care service
summary: A three-year grant for emotional and practical support for victims.
funding_stream: moj-victims
priorities: [victims]
award_type: grant
route: open-call
funding_envelope: 150000
duration_months: 36
opens: 2024-11-01T09:00
closes: 2025-01-10T12:00
who_can_apply: [charity]
evaluation_criteria:
  - criterion: Quality
    weight: 100
apply_email: funding@testshire-pcc.example
contact_email: funding@testshire-pcc.example
---
The service supports victims of any crime.
"""

PAYMENTS = """\
date,provider_id,award_id,amount,description,invoice_received,period
2025-05-05,GB-CHC-1000001,TPCC-2025-001,4166.67,Victim care April 2025,2025-04-28,2025-04
2025-07-04,360G-testshirepcc-youth-club,TPCC-2025-002,1000,Youth diversion June 2025,,2025-06
2026-03-02,GB-CHC-1000001,TPCC-2025-001,-250.00,Refund of unspent funds,,
"""

# The latest payments, so that at the tests' clock (24 November 2026) no month of spending is overdue.
PAYMENTS_LATEST = """\
date,provider_id,award_id,amount,description,invoice_received,period
2026-10-05,GB-CHC-1000001,TPCC-2025-001,4166.67,Victim care September 2026,2026-09-30,2026-09
"""

ABOUT = """\
Title: About
Slug: about
Summary: About this site.

We publish [our data]({site}/data/).
"""

MINIMAL_FILES = {
    "data/funder.yaml": FUNDER,
    "data/providers.csv": PROVIDERS,
    "data/awards.csv": AWARDS,
    "data/opportunities/OPP-2026-002.md": OPEN_OPPORTUNITY,
    "data/opportunities/OPP-2025-001.md": AWARDED_OPPORTUNITY,
    "data/payments/2025-26.csv": PAYMENTS,
    "data/payments/2026-27.csv": PAYMENTS_LATEST,
    "content/pages/about.md": ABOUT,
}
