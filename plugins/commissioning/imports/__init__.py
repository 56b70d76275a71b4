"""Bringing a funder's own data in: a 360Giving file, a finance system's spend export, and the staff workbook.

Each command reads a file, turns it into rows of data/, checks the result with the same validation as
the build, and only then writes the CSV files. Nothing here publishes anything.
"""
