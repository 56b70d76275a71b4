"""Open data: the file types every section makes (files.py), the CSV writer (csv_writer.py), the data
package (datapackage.py) and the /data/ page that lists them all (pages.py)."""
