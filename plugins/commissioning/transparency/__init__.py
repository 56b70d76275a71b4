"""The statutory record: spending over £500 to everyone paid, the payments compliance figures and what we must publish by law (pages.py), with their open data (downloads.py)."""
