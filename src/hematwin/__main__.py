"""``python -m hematwin``: the same command line as the ``hematwin`` script."""

from hematwin.cli import app

app(prog_name="hematwin")
