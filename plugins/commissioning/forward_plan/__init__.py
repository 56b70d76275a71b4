"""Section: the forward plan, the awards ending soon and what we intend to do when each ends."""
