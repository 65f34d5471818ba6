"""The `ducha` console command: every operational task goes through here.

`ducha serve`, `ducha demo`, `ducha extract`, `ducha remind` … are Django management
commands; anything else Django offers (`ducha migrate`, `ducha createsuperuser`) works too.
`ducha --version` prints ducha's own version (Django's `version` command would print Django's).
"""

import os
import sys
from importlib import metadata

DEMO_TODAY = "2020-12-20"


def version() -> str:
    """The installed package's version, i.e. pyproject.toml's at the time it was installed."""
    try:
        return metadata.version("ducha")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if argv[1:] in (["--version"], ["version"]):  # before Django is imported: it answers without settings
        print(version())
        return
    os.umask(0o077)  # before the data directory exists: its files 0600, directories 0700 (settings.py)
    # --data-dir must be known before the settings are read.
    if "--data-dir" in argv:
        i = argv.index("--data-dir")
        if i + 1 < len(argv):
            os.environ["DUCHA_DATA_DIR"] = argv[i + 1]
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("DUCHA_REQUIRE_2FA", "")  # the demo's users sign in with a password only
        os.environ.setdefault("DUCHA_TODAY", DEMO_TODAY)  # the Jintan story: November's reports are in
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "ducha"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
