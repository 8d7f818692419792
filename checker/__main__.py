"""``python -m patuh``: the same command line as the ``patuh`` script, for when the script's
folder is not on PATH (a venv that is not activated, a Windows install without the Scripts
folder on PATH). Same commands, same exit codes, shown as ``patuh``."""

from patuh.cli import run

if __name__ == "__main__":
    run()
