"""The mapping of a 360Giving import: each grant programme, place and organisation the file holds, with
what staff must answer for each (a programme's funding stream, priorities and route; a place's area;
an organisation's type), and every answer missing or wrong, named by its line."""

from __future__ import annotations

from collections import Counter

from ..load import codes
from ..problems import Problem
from . import mapping as mapping_file
from .grants_file import Grant

NO_PROGRAMME = "no-programme"
# A grant's own text that the mapping may correct, by grant id, where the file's would be refused
# (a postcode in a description, say) and its publisher cannot change it soon.
CORRECTABLE = ("title", "description")
CORRECTIONS_HELP = (
    "A grant's title or description to import instead of the file's, by the grant's id, where the file's\n"
    "would be refused (a postcode in a description, say). For example:\n"
    "  360G-funder-GR123:\n"
    "    description: Weekly sessions at the community hall for young people.")


def programme_key(grant: Grant) -> str:
    programme = grant.first("grantProgramme")
    return str(programme.get("code") or programme.get("title") or NO_PROGRAMME).strip()


def location_key(location: dict) -> str:
    return str(location.get("geoCode") or location.get("name") or "").strip()


def _auto_area(location: dict, funder) -> str | None:
    """The funder's area a beneficiary location is, by its official code, else its name; None if none."""
    code = str(location.get("geoCode") or "").strip().upper()
    name = str(location.get("name") or "").strip().lower()
    for area in funder.areas:
        if (code and (area.geo_code or "").upper() == code) or (name and area.name.lower() == name):
            return area.code
    return None


def mapping_entries(grants: list[Grant], funder, answers: mapping_file.Mapping, asked: dict[str, str]) -> list:
    """The mapping file's entries: every programme, place and unknown organisation, with the answers given so far."""
    Entry = mapping_file.Entry
    streams = ", ".join(s.code for s in funder.funding_streams)
    priorities = ", ".join(p.code for p in funder.priorities)
    routes = ", ".join(codes.ROUTES)
    programmes: dict[str, list[Grant]] = {}
    for grant in grants:
        programmes.setdefault(programme_key(grant), []).append(grant)
    entries = []
    for key, members in programmes.items():
        given = answers.group("grant_programmes", key)
        title = str(members[0].first("grantProgramme").get("title") or key)
        calls = Counter(str(g.data.get("fromOpenCall") or "").strip().lower() for g in members)
        route = given.get("route") if "route" in given else ("open-call" if set(calls) == {"yes"} else "")
        without_end = sum(1 for g in members if not grant_dates(g)[1] and not grant_duration(g))
        fields = [
            Entry("title", title),
            Entry("funding_stream", given.get("funding_stream", ""), f"one of: {streams}"),
            Entry("priorities", mapping_file.as_list(given.get("priorities")), f"one or more of: {priorities}"),
            Entry("route", route, f"one of: {routes}; the file says from an open call: "
                  + ", ".join(f"{v or 'not said'} {n}" for v, n in calls.items())),
            Entry("award_type", given.get("award_type", "grant"), "grant or contract"),
            Entry("justification", given.get("justification", ""), "why there was no competition: needed for direct-award or single-tender-action"),
        ]
        if without_end or given.get("duration_months"):
            fields.append(Entry("duration_months", given.get("duration_months", ""),
                                f"{without_end} grants give no end date or duration: how many months each runs"))
        for name in ("conditions", "reasons", "decision_record"):
            if given.get(name) or _statutory(funder, members):
                fields.append(Entry(name, given.get(name, ""), _STATUTORY_HELP[name]))
        entries.append(Entry(key, fields, f"{title}: {len(members)} grants"))
    out = [Entry("grant_programmes", entries, "For each grant programme: what 360Giving does not say.")]
    places: dict[str, tuple[dict, int]] = {}
    for grant in grants:
        for location in grant.all("beneficiaryLocation"):
            key = location_key(location)
            if key:
                first, count = places.get(key, (location, 0))
                places[key] = (first, count + 1)
    if places:
        area_codes = ", ".join(a.code for a in funder.areas) or "(funder.yaml lists no areas)"
        located = []
        for key, (location, count) in places.items():
            given = answers.group("locations", key)
            auto = _auto_area(location, funder)
            label = " ".join(filter(None, [str(location.get("name") or ""), f"({location.get('geoCodeType')})" if location.get("geoCodeType") else ""]))
            located.append(Entry(key, [Entry("name", label or key), Entry("area", given.get("area", auto or ""),
                                 f"one or more of: {area_codes}; empty: the whole area")], f"{count} grants"))
        out.append(Entry("locations", located, "Each place the grants benefit, as one of funder.yaml's areas."))
    organisations = answers.group("organisations")
    shown = {**{k: v.get("name", "") if isinstance(v, dict) else "" for k, v in organisations.items()}, **asked}
    if shown:
        kinds = ", ".join(codes.ORGANISATION_TYPES)
        out.append(Entry("organisations", [
            Entry(org_id, [Entry("name", name), Entry("organisation_type", (organisations.get(org_id) or {}).get("organisation_type", "")
                                                       if isinstance(organisations.get(org_id), dict) else "", f"one of: {kinds}")])
            for org_id, name in shown.items()],
            "Organisations whose type neither their register nor the file says."))
    corrections = answers.group("corrections")
    if corrections:
        # Written back as given, a wrong field too, so that its message still points at a line.
        out.append(Entry("corrections", [
            Entry(grant_id, [Entry(name, value) for name, value in given.items()] if isinstance(given, dict) and given else "")
            for grant_id, given in corrections.items()], CORRECTIONS_HELP))
    return out


def corrected(answers: mapping_file.Mapping, grant_id: str, name: str, text: str) -> str:
    """A grant's title or description as imported: the mapping's correction if it gives one, else the file's."""
    given = answers.get("corrections", grant_id, name)
    return text if given is None else " ".join(str(given).split()) if name == "title" else str(given).strip()


_STATUTORY_HELP = {
    "conditions": "the grant conditions, or the https address where they are published (needed for grants since statutory_from)",
    "reasons": "why these grants will help reduce crime and disorder (needed for grants since statutory_from)",
    "decision_record": "the reference of the decision that made them, e.g. PCC/D/2025/014 (needed for grants since statutory_from)",
}


def _statutory(funder, grants: list[Grant]) -> bool:
    since = getattr(funder, "statutory_from", None)
    return bool(since) and any(str(g.data.get("awardDate") or "")[:10] >= since.isoformat() for g in grants)


def unanswered(answers: mapping_file.Mapping, grants: list[Grant], funder, asked: dict[str, str]) -> list[Problem]:
    """Every answer the mapping must give and does not, or gives wrongly, each at its line."""
    found = []
    streams = {s.code for s in funder.funding_streams}
    priorities = {p.code for p in funder.priorities}
    areas = {a.code for a in funder.areas}
    for key in dict.fromkeys(programme_key(g) for g in grants):
        path = ("grant_programmes", key)
        stream = answers.text(*path, "funding_stream")
        if stream not in streams:
            found.append(answers.problem(path + ("funding_stream",), (f"'{stream}' is not" if stream else "is empty, and must be")
                                         + f" one of funder.yaml's funding streams: {', '.join(sorted(streams))}"))
        chosen = mapping_file.as_list(answers.get(*path, "priorities"))
        wrong = [p for p in chosen if p not in priorities]
        if not chosen or wrong:
            found.append(answers.problem(path + ("priorities",), (f"'{wrong[0]}' is not a priority" if wrong else "is empty")
                                         + f"; give one or more of funder.yaml's priorities: {', '.join(sorted(priorities))}"))
        route = answers.text(*path, "route")
        if route not in codes.ROUTES:
            found.append(answers.problem(path + ("route",), (f"'{route}' is not" if route else "is empty, and must be")
                                         + f" one of: {', '.join(codes.ROUTES)}"))
        elif route in codes.UNCOMPETED_ROUTES and not answers.text(*path, "justification"):
            found.append(answers.problem(path + ("justification",), f"is empty; a {route} says why there was no competition"))
        if answers.text(*path, "award_type") not in codes.AWARD_TYPES:
            found.append(answers.problem(path + ("award_type",), "must be grant or contract"))
        months = answers.text(*path, "duration_months")
        members = [g for g in grants if programme_key(g) == key]
        if _statutory(funder, members):
            for name in ("conditions", "reasons", "decision_record"):
                if not answers.text(*path, name):
                    found.append(answers.problem(path + (name,), (
                        f"is empty; grants made since {funder.statutory_from:%-d %B %Y} (funder.yaml statutory_from) "
                        f"must record it: {_STATUTORY_HELP[name].split(' (')[0]}")))
        if months and not months.isdigit() or (not months and any(not grant_dates(g)[1] and not grant_duration(g) for g in members)):
            found.append(answers.problem(path + ("duration_months",), "is needed as a whole number of months: some grants give no end date or duration"))
    for key, given in answers.group("locations").items():
        for code in mapping_file.as_list(given.get("area") if isinstance(given, dict) else None):
            if code not in areas:
                found.append(answers.problem(("locations", key, "area"), f"'{code}' is not one of funder.yaml's areas: {', '.join(sorted(areas))}"))
    ids = {g.id for g in grants}
    for grant_id, given in answers.group("corrections").items():
        if grant_id not in ids:
            found.append(answers.problem(("corrections", grant_id), "is not the id of a grant in the file; copy the grant's id from it"))
        elif not isinstance(given, dict) or not given:
            found.append(answers.problem(("corrections", grant_id), "gives no correction; under the grant's id, give its title or description"))
        else:
            for name in given:
                if name not in CORRECTABLE:
                    found.append(answers.problem(("corrections", grant_id, name),
                                                 "is not a grant's text the mapping can correct; give title or description"))
                elif not str(given[name] or "").strip():
                    found.append(answers.problem(("corrections", grant_id, name), "is empty; give the text to import, or delete the line"))
    organisations = answers.group("organisations")
    for org_id in {*asked, *organisations}:
        given = organisations.get(org_id)
        kind = str(given.get("organisation_type") or "").strip() if isinstance(given, dict) else None
        if (kind or org_id in asked) and kind not in codes.ORGANISATION_TYPES:
            found.append(answers.problem(("organisations", org_id, "organisation_type"), (f"'{kind}' is not" if kind else "is empty, and must be")
                                         + f" one of: {', '.join(codes.ORGANISATION_TYPES)}"))
    return found


def grant_dates(grant: Grant) -> tuple[str, str]:
    for key in ("plannedDates", "actualDates"):
        dates = grant.first(key)
        if dates.get("startDate") or dates.get("endDate"):
            return str(dates.get("startDate") or "")[:10], str(dates.get("endDate") or "")[:10]
    return "", ""


def grant_duration(grant: Grant) -> str:
    for key in ("plannedDates", "actualDates"):
        value = str(grant.first(key).get("duration") or "").strip()
        if value:
            return value
    return ""
