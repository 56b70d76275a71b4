"""Funded services: the register of awards, providers, streams and priorities (pages.py), their open data
(downloads.py) and the grants in 360Giving form (threesixtygiving.py)."""
