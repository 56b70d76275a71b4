"""Search: the search page (pages.py); the index itself is made by postprocess/search_index.py."""
