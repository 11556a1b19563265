"""`python -m essbot`."""

import sys

from essbot.cli import main

if __name__ == "__main__":
    sys.exit(main())
