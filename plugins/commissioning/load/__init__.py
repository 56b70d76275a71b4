"""Load: read every file in `data/` (read.py), turn it into models of the data contract (fields.py,
models.py, codes.py, validate.py), and run every rule across records (rules/); loader.py runs the
three in order and raises one DataError listing every problem.
"""
