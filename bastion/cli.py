"""The `bastion` command: one entry point over Django's management commands.

`bastion load-divisions` runs the `load_divisions` command; `bastion serve` and
`bastion worker` are the web server and the task worker. Settings default to the embedded
demo (config.settings.local) unless DJANGO_SETTINGS_MODULE says otherwise.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        aliases = {"serve": "serve", "worker": "db_worker"}
        name = argv[1]
        argv[1] = aliases.get(name, name.replace("-", "_"))
    argv[0] = "bastion"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
