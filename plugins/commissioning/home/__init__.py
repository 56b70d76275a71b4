"""The home page and the 404 page: the pages that belong to no section."""
