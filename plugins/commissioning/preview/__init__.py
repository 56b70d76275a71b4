"""The live preview: one process that keeps the site up to date as staff edit its files."""
