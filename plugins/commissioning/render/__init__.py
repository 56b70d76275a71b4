"""What every section renders with: the Page (page.py), Jinja filters (filters.py), Markdown made safe
(markdown.py), SVG bar charts (charts.py) and the theme's hashed assets (assets.py)."""
