"""Secondary suppression for the monitoring figures: which further figures to withhold so that no
count from 1 to 4 (or a total of fewer than 5) can be worked out from what is published, exactly or
from its bounds. See derive/outcomes.py for how it is used and why.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Hashable

SMALL = "small"  # a count from 1 to 4: "fewer than 5"
SECONDARY = "secondary"  # withheld so that a small count cannot be worked out: "not shown"


_KEPT: dict = {}  # the answers for the last few tables: the live preview asks again for the same tables
_KEEP = 64


def protect(cells: dict[Hashable, int], totals: dict[Hashable, list[Hashable]], below: int) -> dict[Hashable, str]:
    """Which cells and totals to withhold, and why; the answer for the same table is worked out once."""
    key = repr((cells, totals, below))
    found = _KEPT.get(key)
    if found is None:
        found = _KEPT[key] = _protect(cells, totals, below)
        while len(_KEPT) > _KEEP:
            del _KEPT[next(iter(_KEPT))]
    return dict(found)


def _protect(cells: dict[Hashable, int], totals: dict[Hashable, list[Hashable]], below: int) -> dict[Hashable, str]:
    """Which cells and totals to withhold, and why (SMALL or SECONDARY), so that no count from 1 to
    below - 1 can be read or worked out.

    cells: each figure's value (a whole number, 0 or more); totals: each total's cells (its value is
    their sum). Keys of cells and totals must differ. See the module's docstring for the method.
    """
    values: dict[Hashable, int] = dict(cells)
    for key, parts in totals.items():
        values[key] = sum(cells[p] for p in parts)
    withheld = {key: SMALL for key, value in values.items() if 0 < value < below}
    if not withheld or not totals:
        return withheld
    containing: dict[Hashable, set] = defaultdict(set)
    for key, parts in totals.items():
        for part in parts:
            containing[part].add(key)
    for _ in range(2 * len(values) + 1):
        leak = _leak(totals, values, withheld, below)
        if leak is None:
            return withheld
        figure, leaking = leak
        choice = _complement(figure, leaking, totals, values, withheld, containing, below)
        if choice is None:
            break
        withheld[choice] = SECONDARY
    # Never reached with consistent input; were it reached, every total "not shown" is safe.
    for key in totals:
        withheld[key] = SECONDARY
    return withheld


def _rows(totals, values, withheld) -> list[tuple[Hashable, dict, int]]:
    """Each total as an equation over the withheld figures: (total, {figure: coefficient}, right-hand side)."""
    rows = []
    for key, parts in totals.items():
        coefficients = {p: 1 for p in parts if p in withheld}
        known = sum(values[p] for p in parts if p not in withheld)
        if key in withheld:
            coefficients[key] = -1
            rhs = -known
        else:
            rhs = values[key] - known
        if coefficients:
            rows.append((key, coefficients, rhs))
    return rows


def _echelon(rows, combinations: bool = True) -> list[tuple[Hashable, dict, dict]]:
    """The rows in echelon form, each with the combination of the original rows it is (empty when
    `combinations` is False: whether a figure can be worked out needs only the rows, and keeping the
    combinations doubled the work of the search for the figure to withhold next).

    Whole numbers throughout (each step scales both rows and divides by the common factor), so the
    arithmetic is exact without fractions.
    """
    pivots: list[tuple[Hashable, dict, dict]] = []  # (pivot, row reduced, combination of original rows)
    for index, (_, coefficients, _) in enumerate(rows):
        vector = dict(coefficients)
        combination = {index: 1} if combinations else {}
        for pivot, pivot_row, pivot_combination in pivots:
            b = vector.get(pivot)
            if b:
                a = pivot_row[pivot]
                vector = _combine(a, vector, -b, pivot_row)
                if combinations:
                    combination = _combine(a, combination, -b, pivot_combination)
                common = math.gcd(*vector.values(), *combination.values()) if vector else 1
                if common > 1:
                    vector = {k: v // common for k, v in vector.items()}
                    combination = {k: v // common for k, v in combination.items()}
        if vector:
            pivots.append((min(vector, key=repr), vector, combination))
    return pivots


def _combine(a: int, first: dict, b: int, second: dict) -> dict:
    """a * first + b * second, without the zeros."""
    out = {k: a * v for k, v in first.items()}
    for k, v in second.items():
        value = out.get(k, 0) + b * v
        if value:
            out[k] = value
        else:
            out.pop(k, None)
    return out


def _certificate(key, pivots) -> set[int] | None:
    """The original rows whose combination gives the figure `key` exactly, or None if none does."""
    target = {key: 1}  # always scale * e_key - sum(used[i] * row i)
    used: dict[int, int] = {}
    for pivot, pivot_row, pivot_combination in pivots:
        b = target.get(pivot)
        if b:
            a = pivot_row[pivot]
            target = _combine(a, target, -b, pivot_row)
            used = _combine(a, used, b, pivot_combination)
    return set(used) if not target else None


def _leak(totals, values, withheld, below) -> tuple[Hashable, list[Hashable]] | None:
    """A protected (SMALL) figure that can be worked out, with the totals through which it can; or None."""
    rows = _rows(totals, values, withheld)
    pivots = _echelon(rows)
    protected = sorted((k for k in withheld if 0 < values[k] < below), key=repr)
    for key in protected:
        used = _certificate(key, pivots)
        if used is not None:
            return key, [rows[i][0] for i in sorted(used, key=lambda i: (len(rows[i][1]), repr(rows[i][0])))]
    bounds = _bounds(rows, withheld, below)
    for deep in (False, True):
        for key in protected:
            low, high = _range(key, rows, withheld, below) if deep else bounds[key]
            if low == high:
                through = [row for row in rows if key in row[1]]
                return key, [total for total, _, _ in sorted(through, key=lambda row: (len(row[1]), repr(row[0])))]
    return None


def _exposed(key, totals, values, withheld, below, deep: bool = False) -> bool:
    """Whether the protected figure `key` can be worked out: exactly, by its bounds, and (deep) by the
    bounds of every combination of the equations."""
    rows = _rows(totals, values, withheld)
    if _certificate(key, _echelon(rows, combinations=False)) is not None:
        return True
    low, high = _bounds(rows, withheld, below).get(key, (1, below - 1))
    if low == high:
        return True
    if deep:
        low, high = _range(key, rows, withheld, below)
    return low == high


def _range(key, rows, withheld, below) -> tuple[int, int]:
    """The least and greatest whole values the figure can take, given every equation at once and the
    labels' ranges: two linear programmes (the least and the greatest), their ends rounded inwards."""
    related = _component(key, rows)
    names = sorted({k for _, coefficients, _ in related for k in coefficients}, key=repr)
    bounds = [_label_range(withheld[k], below) for k in names]
    equations = [({names.index(k): c for k, c in coefficients.items()}, rhs) for _, coefficients, rhs in related]
    target = names.index(key) if key in names else None
    if target is None:
        return 1, below - 1
    low = _optimum(equations, bounds, target, maximise=False)
    high = _optimum(equations, bounds, target, maximise=True)
    low = 1 if low is None else max(1, math.ceil(low - 1e-7))
    high = below - 1 if high is None else min(below - 1, math.floor(high + 1e-7))
    return low, high


def _component(key, rows) -> list:
    """The equations that share figures with `key`, directly or through other equations, in their
    order: no other equation narrows what a reader can tell of it."""
    holding: dict[Hashable, list[int]] = defaultdict(list)
    for index, (_, coefficients, _) in enumerate(rows):
        for figure in coefficients:
            holding[figure].append(index)
    reach, frontier, kept = {key}, [key], set()
    while frontier:
        for index in holding.get(frontier.pop(), ()):
            if index not in kept:
                kept.add(index)
                for other in rows[index][1]:
                    if other not in reach:
                        reach.add(other)
                        frontier.append(other)
    return [rows[index] for index in sorted(kept)]


def _optimum(equations: list[tuple[dict, float]], bounds: list[tuple[float, float]], target: int,
             maximise: bool) -> float | None:
    """The least (or greatest) value of variable `target` subject to the equations (sum of c * y =
    rhs) and each variable's bounds; None if unbounded, or if the equations cannot all hold.

    A plain two-phase simplex with Bland's rule, in floating point: the coefficients are 1 and -1
    and the right-hand sides whole numbers, so the ends it finds are whole numbers to within
    rounding, and _range rounds them inwards.
    """
    n = len(bounds)
    # y = low + z, z >= 0; a finite upper bound is a row z + s = high - low.
    rows: list[list[float]] = []
    rhs: list[float] = []
    for coefficients, value in equations:
        row = [0.0] * n
        for j, c in coefficients.items():
            row[j] = float(c)
        value = value - sum(c * bounds[j][0] for j, c in coefficients.items())
        if value < 0:
            row, value = [-v for v in row], -value
        rows.append(row)
        rhs.append(float(value))
    capped = [j for j, (lo, hi) in enumerate(bounds) if hi != INFINITY]
    m_eq, m = len(rows), len(rows) + len(capped)
    width = n + len(capped) + m_eq  # z, slacks of the caps, artificials of the equations
    table = []
    for i, row in enumerate(rows):
        table.append(row + [0.0] * len(capped) + [1.0 if k == i else 0.0 for k in range(m_eq)] + [rhs[i]])
    for k, j in enumerate(capped):
        row = [0.0] * width
        row[j] = 1.0
        row[n + k] = 1.0
        table.append(row + [bounds[j][1] - bounds[j][0]])
    basis = [n + len(capped) + i for i in range(m_eq)] + [n + k for k in range(len(capped))]

    def solve(cost: list[float], allowed: int) -> bool:
        """Minimise cost over the columns below `allowed`; False if unbounded."""
        for _ in range(2000):
            # Bland's rule: the first column whose reduced cost is negative enters, so the costs are
            # worked out in order only until it is found; and only the basic columns that cost
            # something count (in the second phase, one at most).
            weighted = [(table[i], cost[basis[i]]) for i in range(m) if cost[basis[i]]]
            basic = set(basis)
            entering = next((j for j in range(allowed) if j not in basic
                             and cost[j] - sum(weight * row[j] for row, weight in weighted) < -1e-9), None)
            if entering is None:
                return True
            ratios = [(table[i][-1] / table[i][entering], basis[i], i) for i in range(m) if table[i][entering] > 1e-9]
            if not ratios:
                return False
            _, _, leaving = min(ratios)
            pivot = table[leaving][entering]
            table[leaving] = [v / pivot for v in table[leaving]]
            for i in range(m):
                if i != leaving and abs(table[i][entering]) > 1e-12:
                    factor = table[i][entering]
                    table[i] = [a - factor * b for a, b in zip(table[i], table[leaving])]
            basis[leaving] = entering
        return True

    phase_one = [0.0] * (n + len(capped)) + [1.0] * m_eq
    solve(phase_one, width)
    if sum(table[i][-1] for i in range(m) if basis[i] >= n + len(capped)) > 1e-7:
        return None  # no values satisfy every equation (not reached with true figures)
    for i in range(m):  # drive any artificial left in the basis (at zero) out of it
        if basis[i] >= n + len(capped):
            entering = next((j for j in range(n + len(capped)) if abs(table[i][j]) > 1e-9 and j not in basis), None)
            if entering is not None:
                pivot = table[i][entering]
                table[i] = [v / pivot for v in table[i]]
                for r in range(m):
                    if r != i and abs(table[r][entering]) > 1e-12:
                        factor = table[r][entering]
                        table[r] = [a - factor * b for a, b in zip(table[r], table[i])]
                basis[i] = entering
    cost = [0.0] * width
    cost[target] = -1.0 if maximise else 1.0
    if not solve(cost, n + len(capped)):
        return None
    value = next((table[i][-1] for i in range(m) if basis[i] == target), 0.0)
    return bounds[target][0] + value


INFINITY = math.inf
PROPAGATION_ROUNDS = 50


def _label_range(why: str, below: int) -> tuple[float, float]:
    """What a figure's label tells a reader: "fewer than 5" is 1 to 4; "not shown" is any number but
    0 (a 0 is always shown), even one under 5: the last resort makes a small total "not shown"."""
    return (1, below - 1) if why == SMALL else (1, INFINITY)


class _Ends:
    """The least and greatest a sum of shares can be: the finite ends added up, and the unbounded
    ones counted apart (a least end can be minus infinity, a greatest plus infinity, never the other
    way), so one share can be taken off exactly."""

    def __init__(self):
        self.low = self.high = 0.0
        self.unbounded_low = self.unbounded_high = 0

    def add(self, least: float, greatest: float, sign: int = 1) -> None:
        if least == -INFINITY:
            self.unbounded_low += sign
        else:
            self.low += sign * least
        if greatest == INFINITY:
            self.unbounded_high += sign
        else:
            self.high += sign * greatest

    def without(self, least: float, greatest: float) -> tuple[float, float]:
        """The ends of the sum of the other shares."""
        low = -INFINITY if self.unbounded_low - (least == -INFINITY) else self.low - (0.0 if least == -INFINITY else least)
        high = INFINITY if self.unbounded_high - (greatest == INFINITY) else self.high - (0.0 if greatest == INFINITY else greatest)
        return low, high


def _share(c: int, ends: tuple[float, float]) -> tuple[float, float]:
    a, b = c * ends[0], c * ends[1]
    return (a, b) if a <= b else (b, a)


def _bounds(rows, withheld, below) -> dict[Hashable, tuple[float, float]]:
    """What a reader can tell of each withheld figure's range from the equations and the labels
    ("fewer than 5" is 1 to 4; "not shown" is 5 or more), each equation narrowing the ranges of its
    figures in turn until none narrows further.

    An equation's shares are added up once and each figure's own share taken off, rather than the
    others added up again for each figure: the same whole numbers, exact in floating point, in time
    that grows with an equation's length rather than with its square.
    """
    bounds = {key: _label_range(why, below) for key, why in withheld.items()}
    for _ in range(PROPAGATION_ROUNDS):
        changed = False
        for _, coefficients, rhs in rows:
            shares = {key: _share(c, bounds[key]) for key, c in coefficients.items()}
            total = _Ends()
            for least, greatest in shares.values():
                total.add(least, greatest)
            for key, c in coefficients.items():
                low, high = total.without(*shares[key])
                ends = sorted(((rhs - high) / c, (rhs - low) / c))
                lo, hi = bounds[key]
                new_lo = max(lo, math.ceil(ends[0])) if ends[0] != -INFINITY else lo
                new_hi = min(hi, math.floor(ends[1])) if ends[1] != INFINITY else hi
                if (new_lo, new_hi) != (lo, hi) and new_lo <= new_hi:
                    bounds[key] = (new_lo, new_hi)
                    changed = True
                    total.add(*shares[key], sign=-1)
                    shares[key] = _share(c, bounds[key])
                    total.add(*shares[key])
        if not changed:
            break
    return bounds


TRIED_CELLS = 40  # published cells tried as the figure to withhold next, the likeliest first


def _complement(figure, leaking: list, totals, values, withheld, containing, below) -> Hashable | None:
    """The figure to withhold next so that `figure` can no longer be worked out.

    Tried in order: the published cells of the leaking totals, those sharing the most totals with the
    figure first (another quarter of the same service is always added up with it), the smallest first;
    then the leaking totals themselves, the smallest first. The first that protects the figure on its
    own is chosen; failing that, the first that at least breaks the way found to work it out (the
    search then goes on from there).
    """
    near = set(containing.get(figure, ()))
    if figure in totals:
        near |= {figure}.union(*(containing[p] for p in totals[figure]))
    cells = {p for total in leaking for p in totals[total] if p not in withheld and values[p] > 0}
    ordered = sorted(cells, key=lambda p: (-len(containing[p] & near), values[p], repr(p)))
    sums = sorted((t for t in leaking if t not in withheld), key=lambda t: (len(totals[t]), repr(t)))
    # The last resort: a small total that the labels of the others give away is "not shown" instead
    # of "fewer than 5", which says nothing of its size.
    sums += sorted((t for t in totals if withheld.get(t) == SMALL), key=lambda t: (t not in leaking, -len(totals[t]), repr(t)))
    through = {t: totals[t] for t in leaking}
    breaking = None
    deep = not _exposed(figure, totals, values, withheld, below)  # found only by the linear programmes
    for candidate in [*ordered[:TRIED_CELLS], *sums]:
        trial = {**withheld, candidate: SECONDARY}
        if _exposed(figure, through, values, trial, below, deep):
            continue  # the same totals still give the figure away
        if not _exposed(figure, totals, values, trial, below, deep):
            return candidate
        breaking = breaking or candidate
    if breaking is not None:
        return breaking
    if ordered or sums:
        return (ordered or sums)[0]
    for total in leaking:  # every figure of the leaking totals is withheld: withhold a total they are in
        for part in totals[total]:
            for other in sorted(containing[part], key=repr):
                if other not in withheld or withheld[other] == SMALL:
                    return other
    return None
