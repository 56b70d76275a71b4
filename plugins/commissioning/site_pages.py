"""Every part of the site, imported so that each registers its pages and files (in this order)."""

from . import pages_core  # noqa: F401
from . import opportunities, ics, feeds  # noqa: F401
# Not `register`: that name is the plugin's register() function in the package.
from . import funding_register, threesixtygiving  # noqa: F401
from . import spend_pages  # noqa: F401
from . import search, sitemap  # noqa: F401
from . import datapackage  # noqa: F401  (last: it describes every download the others made)
