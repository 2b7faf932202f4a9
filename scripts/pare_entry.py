"""The frozen application's entry point: the same `main()` as the `pare` console script."""

import sys

from pare_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
