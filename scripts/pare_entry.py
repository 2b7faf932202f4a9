"""The frozen application's entry point: the same `main()` as the `pare` console script."""

import sys

from pare_desktop.__main__ import main
from pare_desktop.winconsole import attach_parent_console

if __name__ == "__main__":
    if len(sys.argv) > 1:  # the command line (Windows: the windowed exe prints in the console it came from)
        attach_parent_console()
    sys.exit(main())
