"""Spend: the payments, year by year and month by month (pages.py), with charts (charts.py) and open data (downloads.py)."""
