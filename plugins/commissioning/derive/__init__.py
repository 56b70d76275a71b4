"""Derive: from the valid data set to the linked site (site.py): views of each record (views.py,
opportunity.py) and the spend figures (spend.py, spend_figures.py).
"""
