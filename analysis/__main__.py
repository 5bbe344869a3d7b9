"""`python -m analysis` is the `khuyenhoc` command."""
import sys

from analysis.cli import main

sys.exit(main())
