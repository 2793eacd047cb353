#!/usr/bin/env python
"""Django's command-line utility for the Futurs voisins host site."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The host project lives in site/, which cannot be a package named `site`
    # (the standard library owns it): put the folder itself on sys.path.
    sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
