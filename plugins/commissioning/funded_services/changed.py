"""When each funded service's and provider's page last changed, from the data: never the build clock."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from ..render.page import newest


class Changed:
    """The day each award's and provider's page last changed, from the data: never the build clock."""

    def __init__(self, site):
        self.today = site.today
        self._awards: dict[str, date] = {}
        data = site.dataset
        # The payments by date, up to today: a dict made from (id, date) pairs keeps each id's last
        # date, its latest, in one pass in C (three registers and downloads make this, at 200,000 payments).
        dates = data.payment_values("date")
        upto = bisect_right(dates, self.today)
        self.award_paid: dict[str, date] = dict(zip(data.payment_values("award_id")[:upto], dates[:upto]))
        self.award_paid.pop(None, None)
        self.provider_paid: dict[str, date] = dict(zip(data.payment_values("provider_id")[:upto], dates[:upto]))
        self.everything = newest([*(self.award(a) for a in site.awards), *self.provider_paid.values()]) or self.today

    @classmethod
    def of(cls, site) -> "Changed":
        """The site's one Changed: the register's pages, its downloads and the OCDS file all ask, and
        at 200,000 payments it is worth making once a build (the preview derives a new site each time)."""
        found = site.__dict__.get("_changed")
        if found is None:
            found = site.__dict__["_changed"] = cls(site)
        return found

    def _past(self, days) -> date | None:
        return newest(d for d in days if d is not None and d <= self.today)

    def award(self, award) -> date:
        if award.id not in self._awards:
            # Its status changes the day it starts and the day after it ends; a renewal adds a line.
            days = [award.award_date, award.start_date, award.end_date + timedelta(days=1), self.award_paid.get(award.id)]
            days += [other.award_date for other in award.extended_by]
            self._awards[award.id] = self._past(days) or min(award.award_date, self.today)
        return self._awards[award.id]

    def awards(self, awards) -> date:
        return newest(self.award(a) for a in awards) or self.everything

    def records(self, awards) -> date:
        """The day a list of award records (not their payments) last changed, status included."""
        days = (self._past([a.award_date, a.start_date, a.end_date + timedelta(days=1)]) for a in awards)
        return newest(days) or self.everything

    def provider(self, provider) -> date:
        return newest([*(self.award(a) for a in provider.awards), self.provider_paid.get(provider.id)]) or self.everything
