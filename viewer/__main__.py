"""`python -m viewer`: the same entry point as the `viewer` console script."""

import sys

from viewer.cli import main

sys.exit(main())
