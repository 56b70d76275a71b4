"""Section: what the money achieved: quarterly monitoring of every funded service, with small numbers protected."""
