"""(being written) Derive spend with pandas."""


def derive_spend(site) -> None:
    """Fill site.spend and each award's and provider's paid totals."""
