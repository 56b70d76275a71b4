"""Personal data: no text we publish holds an email address, a UK phone number, a full postcode, a
street address, a National Insurance number or a date of birth. Recipients are organisations; a refuge
or safe-house address must never appear, and a full postcode is the surest sign of one.

Every text of every record is read (a web address after its `?` only), and every page as a reader
sees it: compatibility characters as plain ones (NFKC: full-width letters), entities decoded, disguises
undone (`jo [at] example [dot] org`), lines joined. A finding is shown as it was written. Each pattern
takes time in proportion to the text (no repetition matches the same characters in two ways; each
starts with a character the engine skips to): ten million characters take well under a second.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import typing
import unicodedata
from bisect import bisect_left, bisect_right
from typing import Iterator, NamedTuple
from urllib.parse import unquote, urlsplit

from ...problems import Problem, field_name
from ..dataset import Dataset
from ..models import Model

# --- the patterns: each starts with a character the engine skips to, then a fixed look behind ---
# From the @: the domain, one to nine labels and a top-level domain (letters, or xn--). The name
# before the @ is read backwards (_LOCAL_BACKWARDS). A run of @s is passed over whole.
EMAIL = re.compile(r"@(?:@{16,}+|(?:[\w-]{1,63}\.){1,8}(?:[^\W\d_]{2,63}|xn--[\w-]{1,59}))")
_LOCAL_BACKWARDS = re.compile(r"[\w.+%'-]{1,64}")

# 0, +44 or 0044 (and (0)), not in a word, an id (GB-CHC-1234567), an amount (£1,234,567) or a run of digit
# groups; then 9 or 10 digits, grouped by one kind of space, dot or hyphen (not a date, a year range, a reference).
_S = r"[ .-]{0,2}"
PHONE = re.compile(rf"""
    [0+(] (?<![\w.£$€/+-].) (?<![0-9][ .-].) (?<![0-9][ .-]{{2}}.)
    (?: (?<=\+)[ ]?44{_S}(?:\(0\){_S})?  |  (?<=0)0[ ]?44{_S}(?:\(0\){_S})?              # +44, 0044
      | (?<=\()(?:\+44\){_S}(?:\(0\){_S})?|0(?=[0-9]{{1,4}}\)))  |  (?<=0)(?=[0-9]) )    # (+44), (01234), 0
    (?=(?:[ .)-]{{0,3}}[0-9]){{9,10}}(?![ .)-]{{0,3}}[0-9]))                              # 9 or 10 digits
    [0-9]{{1,10}}\)? (?:(?:[ ]{{1,3}}[0-9]{{2,10}}){{0,3}}|(?:\.[0-9]{{2,10}}){{0,3}}|(?:-[0-9]{{2,10}}){{0,3}})
    (?![ .)-]{{0,3}}[0-9])""", re.VERBOSE)

# MK40 1AB, M1 1AA, SW1A 1AA from the first digit, with one or two letters starting a word before it.
POSTCODE = re.compile(r"[0-9](?<=[A-Za-z].)(?<![0-9][A-Za-z].)(?<![A-Za-z0-9_][A-Za-z]{2}.)"
                      r"[A-Za-z0-9]?[ ]?[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}\b")

# AB 12 34 56 C from its first digit: two letters before it (checked by _issued), six digits, A to D.
NATIONAL_INSURANCE = re.compile(r"[0-9](?<=[A-Za-z][A-Za-z ].)(?:(?<=(?<![\w-])[A-Za-z]{2}.)|(?<=(?<![\w-])[A-Za-z]{2}[ ].))"
                                r"[0-9][ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[A-Da-d](?![\w-])")
_NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}

# 12 Acacia Avenue, 12-14 St Mary's Road: from the first capital, one to four capitalised words and a street word
# (any case), after a house number (read backwards) not part of an amount, date or id. Not a court (Crown Court).
STREET_WORDS = "road rd street st avenue ave lane close drive way crescent place court gardens terrace grove hill square row walk mews parade".split()
STREET_ADDRESS = re.compile(rf"""
    [A-Z] (?<=[0-9A-Za-z, ][ ].) (?:(?<=[0-9][ ].)|(?<=[0-9][A-Za-z, ][ ].)|(?<=[0-9][A-Za-z],[ ].))
    (?:[\w'’.-]{{0,30}}[ ]{{1,3}}[A-Z]){{0,3}}[\w'’.-]{{0,30}}[ ]{{1,3}}(?i:{"|".join(STREET_WORDS)})\b""", re.VERBOSE)
_HOUSE_NUMBER_BACKWARDS = re.compile(r"[ ]{1,2},?[A-Za-z]?[0-9]{1,3}(?:-[A-Za-z]?[0-9]{1,3})?(?![\w£$€.,/:-])")
_COURTS = re.compile(r"(?:Crown|Youth|Magistrates'?|County|Family|High|Coroners'?|Combined|Supreme)[ ]{1,3}Court\b")

# "born on 3 March 1990", "date of birth: 03/04/1990", "DOB 1990-03-04": a date within three words; only near them.
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = (rf"(?:[0-9]{{1,2}}[/.-][0-9]{{1,2}}[/.-][0-9]{{2,4}}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}"
         rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?[ ]{{1,3}}(?:of[ ]{{1,3}})?{_MONTH}\.?,?[ ]{{1,3}}[0-9]{{4}}"
         rf"|{_MONTH}\.?[ ]{{1,3}}(?:[0-9]{{1,2}}(?:st|nd|rd|th)?,?[ ]{{1,3}})?[0-9]{{4}})")
DATE_OF_BIRTH = re.compile(rf"[bdBD](?<!\w.)(?i:(?:(?<=[bB])orn|(?<=[dD])(?:ate[ ]{{1,3}}of[ ]{{1,3}}birth|\.?o\.?b))"
                           rf"\b\.?[:,]?[ ]{{0,3}}(?:[^\W\d][\w'’]{{0,20}}[,:]?[ ]{{1,3}}){{0,3}}?{_DATE})(?![0-9])")
_DOB_WORDS = re.compile(r"born|Born|BORN|birth|Birth|dob|DOB|d\.o\.b|D\.O\.B")

FINDERS = (
    (EMAIL, "an email address", "name the organisation or role instead; contact_email and apply_email are the only places for an address"),
    (PHONE, "a phone number", "remove it: publish no phone numbers"),
    (POSTCODE, "a full postcode", "remove it: give a town or area, never a street address"),
    (STREET_ADDRESS, "a street address", "remove it: give a town or area; the funder's own published address goes in published_contacts in funder.yaml"),
    (NATIONAL_INSURANCE, "a National Insurance number", "remove it: never publish a person's National Insurance number"),
    (DATE_OF_BIRTH, "a date of birth", "remove it: publish no one's date of birth (if it is not one, reword it, for example 'started on')"),
)
_EMAIL, _PHONE, _POSTCODE, _ADDRESS, _NI, _DOB = range(len(FINDERS))


class Finding(NamedTuple):
    found: str  # as written
    what: str
    advice: str
    key: tuple  # (finder, the finding normalised): what the allow-list compares

    @property
    def message(self) -> str:
        return f"'{self.found}' looks like {self.what}; {self.advice}"


# --- reading text the way a reader does ------------------------------------------------------------

_ENTITY = re.compile(r"&(?:&{16,}+|#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
_OTHER_ENTITY = re.compile(r"&(?!amp;)(?:&{16,}+|#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
_COMMON_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&apos;": "'", "&nbsp;": "\xa0"}
_DASHES = "\u2010\u2012\u2013\u2014\u2015\u2212"  # those NFKC leaves (it makes the others one of them, or -)
_LONG_NUMBER = re.compile(r"[0-9]{17,}")  # cut to 16 digits: no finding is inside a run of 15 or more
_DISGUISE = re.compile(r"[\[({<][ ]{0,2}(?i:(at|@)|dot|\.)[ ]{0,2}[\])}>]")  # [at] (at) {at} <at> [dot] (.)
_MAPPED_EDITS = 20_000  # a step changing more places than this is done at the speed of str methods, unmapped


def _entity(match: re.Match) -> str:  # a run of &s is passed over whole
    return match.group(0) if match.group(0)[1] == "&" else html.unescape(match.group(0))


def _fast_entities(text: str) -> str:
    """The same decoding as _entity: the common entities, the others, then &amp; (so once only)."""
    for entity, character in _COMMON_ENTITIES.items():
        text = text.replace(entity, character) if entity in text else text
    return _OTHER_ENTITY.sub(_entity, text).replace("&amp;", "&")


@functools.cache
def _compatibility_runs() -> re.Pattern:
    """Runs of the characters below U+FFFF that NFKC changes (the rare ones above: NFKC of the whole)."""
    changed = [c for c in range(0x80, 0x10000) if unicodedata.normalize("NFKC", chr(c)) != chr(c)]
    starts = [c for i, c in enumerate(changed) if i == 0 or changed[i - 1] != c - 1]
    ends = [c for i, c in enumerate(changed) if i == len(changed) - 1 or changed[i + 1] != c + 1]
    members = "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in zip(starts, ends)) + "]"
    return re.compile(members + members + "*")  # a class first, for the engine to skip to


def _replace(pattern: re.Pattern, text: str, replacement, spaces: int = 0, limit: int = 0) -> tuple[str, list | None]:
    """Each match replaced (and up to `spaces` spaces each side); edits (new span, old span), None past `limit`."""
    pieces, edits, last, shift = [], [], 0, 0
    for count, match in enumerate(pattern.finditer(text)):
        if limit and count >= limit:
            return text, None
        start, end = match.span()
        new = replacement(match)
        for _ in range(spaces):
            start -= start > last and text[start - 1] == " "
            end += end < len(text) and text[end] == " "
        if new != text[start:end]:
            pieces += (text[last:start], new)
            edits.append((start + shift, start + shift + len(new), start, end))
            shift, last = shift + len(new) - (end - start), end
    return ("".join(pieces) + text[last:], edits) if pieces else (text, [])


def _normalise(text: str) -> tuple[str, list | None]:
    """The text as a reader reads it, and each step's edits (None past too many: findings are shown as read)."""
    steps: list | None = [] if len(text) <= 1_000_000 else None  # a longer text's findings are shown as read

    def step(pattern, replacement, quickly, spaces=0):
        nonlocal text, steps
        replaced, edits = _replace(pattern, text, replacement, spaces, _MAPPED_EDITS) if steps is not None else ("", None)
        if edits is None:
            text, steps = quickly(text), None
        else:
            text = replaced
            steps += [(edits, [edit[0] for edit in edits])] if edits else []

    if "&" in text:
        step(_ENTITY, _entity, lambda t: _fast_entities(t) if t.count("&") > 100_000 else _ENTITY.sub(_entity, t))
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        if not unicodedata.is_normalized("NFC", text):  # accents written as marks, joined to their letters
            composed = unicodedata.normalize("NFC", text)
            text, steps = composed, steps if len(composed) == len(text) else None
        run = lambda m: unicodedata.normalize("NFKC", m.group(0))  # noqa: E731
        step(_compatibility_runs(), run, lambda t: _compatibility_runs().sub(run, t))
        if not unicodedata.is_normalized("NFKC", text):
            text, steps = unicodedata.normalize("NFKC", text), None
    for dash in _DASHES if not text.isascii() else ():
        text = text.replace(dash, "-")
    text = text.replace("\r", " ").replace("\t", " ")  # and a line break joins lines; a blank line does not:
    text = text.replace("\n\n", "\u2029\u2029").replace("\n", " ").replace("\u2029", "\n") if "\n" in text else text
    if len(text) > 10_000 and sum(map(text[::101].count, "0123456789")) > len(text) // 404:
        step(_LONG_NUMBER, lambda m: m.group(0)[:16], lambda t: _LONG_NUMBER.sub(lambda m: m.group(0)[:16], t))
    if "]" in text or ")" in text or "}" in text or ">" in text:
        disguise = lambda m: "@" if m.group(1) else "."  # noqa: E731
        step(_DISGUISE, disguise, lambda t: _replace(_DISGUISE, t, disguise, 3)[0], spaces=3)
    return text, steps


def _original(steps: list, start: int, end: int) -> tuple[int, int]:  # the span as written
    for edits, starts in reversed(steps):
        if (i := bisect_right(starts, start) - 1) >= 0:
            new_start, new_end, old_start, old_end = edits[i]
            start = old_start if start < new_end else start - new_end + old_end
        if (j := bisect_left(starts, end) - 1) >= 0:
            new_start, new_end, old_start, old_end = edits[j]
            end = old_end if end <= new_end else end - new_end + old_end
    return start, end


# --- finding ---------------------------------------------------------------------------------------
def _spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, finder) of each finding in normalised text."""
    for match in EMAIL.finditer(text) if "@" in text else ():
        at = match.start()
        local = _LOCAL_BACKWARDS.match(text[max(0, at - 64):at][::-1])
        if local and match.group(0)[1] != "@":
            start = at - local.end()
            while start < at - 1 and text[start] in ".'-":
                start += 1
            yield start, match.end(), _EMAIL
    if not any(digit in text for digit in "0123456789"):
        return
    for match in PHONE.finditer(text) if "0" in text or "+" in text else ():
        yield match.start(), match.end(), _PHONE
    for match in POSTCODE.finditer(text):
        yield match.start() - (2 if match.start() > 1 and text[match.start() - 2].isalpha() else 1), match.end(), _POSTCODE
    for match in NATIONAL_INSURANCE.finditer(text):
        start = match.start() - (3 if text[match.start() - 1] == " " else 2)
        first, second = text[start:start + 2].upper()
        if first not in "DFIQUV" and second not in "DFIOQUV" and first + second not in _NEVER_ISSUED:
            yield start, match.end(), _NI
    for match in STREET_ADDRESS.finditer(text):
        number = _HOUSE_NUMBER_BACKWARDS.match(text[max(0, match.start() - 16):match.start()][::-1])
        if number and not _COURTS.search(match.group(0)):
            yield match.start() - number.end(), match.end(), _ADDRESS
    last = -1
    for place in (word.start() for word in _DOB_WORDS.finditer(text)):
        for match in DATE_OF_BIRTH.finditer(text, max(place - 16, last, 0), place + 160):
            last = match.end()
            yield match.start(), match.end(), _DOB


def _key(finder: int, text: str) -> tuple:
    """A finding however written: a phone number's national digits, else its letters and digits in lower case."""
    if finder != _PHONE:
        return finder, re.sub(r"[\W_]+", "", text.lower())
    digits = re.sub(r"[^0-9]", "", text)
    national = digits[4:] if digits.startswith("0044") else digits[2:] if text.startswith(("+", "(+")) else digits[1:]
    return finder, "0" + (national[1:] if len(national) > 10 and national[0] == "0" else national)  # +44 (0)20


def _find(text: str) -> tuple[Finding, ...]:
    normal, steps = _normalise(text) if text else ("", None)
    found = []
    for start, end, finder in sorted(_spans(normal)):
        shown = " ".join(text[slice(*_original(steps, start, end))].split()) if steps is not None else ""
        found.append(Finding(shown or normal[start:end], *FINDERS[finder][1:], _key(finder, normal[start:end])))
    return tuple(found)


_find_cached = functools.lru_cache(maxsize=65536)(_find)  # payment descriptions repeat across many rows


def findings(text: str) -> tuple[Finding, ...]:  # every finding in a text, in order
    return _find_cached(text) if len(text) <= 4096 else _find(text)


def find_personal_data(text: str) -> tuple[tuple[str, str, str], ...]:  # (as written, what it looks like, what to do)
    return tuple((f.found, f.what, f.advice) for f in findings(text))


# --- web addresses and Markdown, as a reader sees them ------------------------------------------

_WEB_ADDRESS = re.compile(r"(?i:https?|ftp)://\S+")


def url_text(url: str) -> str:
    """What a web address may carry: its query and fragment decoded, a parameter a block; all of a mailto: or tel:."""
    if url[:7].lower().startswith(("mailto:", "tel:")):
        return unquote(url.split(":", 1)[1]).replace("?", "\n\n").replace("&", "\n\n")
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return "\n\n".join(unquote(p) for part in (parts.query, parts.fragment) for p in re.split(r"[&;]", part) if p)


def text_findings(text: str) -> tuple[Finding, ...]:
    """The findings in one value: all of it, or of a value that is one web address, its query string."""
    if text[:4].lower() in ("http", "ftp:", "mail", "tel:") and (
            _WEB_ADDRESS.fullmatch(text) or (text[:4].lower() in ("mail", "tel:") and not re.search(r"\s", text))):
        return findings(url_text(text))
    return findings(text)


_BLOCKS = set("p li ul ol h1 h2 h3 h4 h5 h6 td th tr table thead tbody tfoot caption blockquote pre div section "
               "dl dt dd figure figcaption details summary hr".split())
_HTML_TAG = re.compile(r'<(/?)([a-z0-9]{1,12})((?:\s{1,9}[a-z-]{1,20}(?:="[^"]{0,4000}")?){0,20})\s{0,9}/?>')  # as nh3 writes them
_ATTRIBUTE = re.compile(r'(href|src|title|alt)="([^"]{0,4000})"')


def _reader_tag(match: re.Match) -> str:
    """A tag as a reader sees it: a break between blocks; what a link or image carries, as a block of its own."""
    name, values = match.group(2), _ATTRIBUTE.findall(match.group(3))
    carried = "".join(f"\n\n{url_text(html.unescape(v)) if a in ('href', 'src') else v}\n\n" for a, v in values)
    return ("\n" if name == "br" else "\n\n" if name in _BLOCKS else "") + carried


def reader_text(markdown: str) -> str:
    """Markdown as the text a reader of the page sees (rendered and sanitised as the site does)."""
    from ...render.markdown import render_markdown

    return html.unescape(_HTML_TAG.sub(_reader_tag, str(render_markdown(markdown))))


_TAG = re.compile(r"<[^<>]{0,1000}>")
_MARKUP = re.compile(r"[\\*_`~]")


def _might_hold(markdown: str) -> bool:
    """A look at Markdown as written and without tags and emphasis (`07700 **900123**`), before rendering it."""
    plain = _MARKUP.sub("", _TAG.sub("", markdown))
    return bool(findings(markdown) or findings(unquote(plain) if "%" in plain else plain))


def markdown_findings(markdown: str) -> list[tuple[int, Finding]]:
    """Each finding a reader of the Markdown sees, with its line (from 0; a number wrapped over two: the first)."""
    whole = findings(reader_text(markdown)) if markdown and _might_hold(markdown) else ()
    wanted: dict[tuple, int] = {}
    for finding in whole:
        wanted[finding.key] = wanted.get(finding.key, 0) + 1
    lines, located, placed = markdown.split("\n"), [], {}
    for number, line in enumerate(lines if whole else ()):
        for finding in findings(reader_text(line)) if line.strip() and _might_hold(line) else ():
            if len(placed.setdefault(finding.key, [])) < wanted.get(finding.key, 0):
                placed[finding.key].append(number)
                located.append((number, finding))
    for key, finding in {f.key: f for f in whole}.items():
        missing = wanted[key] - len(placed.get(key, []))
        for number in range(len(lines) - 1) if missing > 0 else ():
            pair = "\n".join(lines[number:number + 2])
            if missing > 0 and _might_hold(pair) and any(f.key == key for f in findings(reader_text(pair))) \
                    and number not in placed.get(key, []) and number + 1 not in placed.get(key, []):
                located.append((number, finding))
                missing -= 1
        located += [(0, finding)] * max(missing, 0)  # over more than two lines: the first line of the text
    return sorted(located, key=lambda pair: pair[0])


# --- the allow-list and the rule -----------------------------------------------------------------

# Meant for addresses; the allow-list; a notice id that its own rule allows only in the form 012345-2025.
NOT_SCANNED = frozenset({"contact_email", "apply_email", "published_contacts", "find_a_tender"})


def allowed_keys(funder) -> frozenset:
    """The findings in what the funder publishes of its own: contact_email and published_contacts."""
    texts = [getattr(funder, "contact_email", None)] + [t for _, t in _text_values(getattr(funder, "published_contacts", None) or [], ())]
    return frozenset(f.key for text in texts if text for f in (*findings(text), *text_findings(text)))


def _text_values(value, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every text in a value: a string, a list, a nested model, a list of models."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Model):
        for name in _text_fields(type(value)):
            if (item := getattr(value, name)) is not None:
                yield from _text_values(item, path + (name,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _text_values(item, path + (index,))


@functools.cache
def _text_fields(model: type) -> tuple[str, ...]:
    """A model's fields that may hold text: not amounts, dates, numbers, yes or no, code-list values or NOT_SCANNED."""
    return tuple(name for name, field in model.model_fields.items() if name not in NOT_SCANNED and _may_hold_text(field.annotation))


def _may_hold_text(annotation) -> bool:
    if annotation is str or isinstance(annotation, type):
        return annotation is str or issubclass(annotation, Model)
    return typing.get_origin(annotation) is not typing.Literal and any(
        _may_hold_text(a) for a in typing.get_args(annotation) if not isinstance(a, (str, int)) and a is not type(None))


def _record_problems(record: Model, allowed: frozenset) -> Iterator[Problem]:
    for path, text in _text_values(record, ()):
        for finding in text_findings(text):
            if finding.key not in allowed:
                yield Problem(record.origin.file, record.origin.line_of(*path), field_name(path), finding.message)


def _records(data: Dataset) -> Iterator[Model]:
    """Every record of the data set, whatever kinds it holds, but payments (read a distinct value at a time)."""
    for value in (getattr(data, f.name) for f in dataclasses.fields(data) if f.name != "payments"):
        for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]:
            yield from (record for record in (item if isinstance(item, list) else [item]) if isinstance(record, Model))


def no_personal_data_in_free_text(data: Dataset) -> Iterator[Problem]:
    """No text holds an email address, phone number, postcode, street address, National Insurance number or date of birth (but contact and apply emails, and the funder's published contacts)."""
    allowed = allowed_keys(data.funder)
    for record in _records(data):
        yield from _record_problems(record, allowed)
    for opportunity in data.opportunities:
        for number, finding in markdown_findings(opportunity.body):
            if finding.key not in allowed:
                yield Problem(opportunity.origin.file, opportunity._body_line + number, "specification", finding.message)
    # Hundreds of thousands of payments repeat a few hundred descriptions: each distinct value of each
    # text column is read once, and the rows are gone through only for a value with a finding.
    for name in _text_fields(type(data.all_payments[0])) if data.all_payments else ():
        flagged = {value for value in set(data.payment_values(name))
                   if isinstance(value, str) and any(f.key not in allowed for f in text_findings(value))}
        for payment in data.all_payments if flagged else ():
            if (value := getattr(payment, name)) in flagged:
                for finding in text_findings(value):
                    if finding.key not in allowed:
                        yield Problem(payment.origin.file, payment.origin.line, name, finding.message)
