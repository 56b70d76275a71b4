"""Funding opportunities: their pages (pages.py), open data (downloads.py), Atom feed (feed.py) and calendars (calendars.py)."""
