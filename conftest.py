"""pytest setup for the kata: everything lives in the kata's plugins (kata/options.py, the
command-line options, and kata/plugin.py)."""

from kata import zygote

zygote.start_early()  # the workers' zygote loads torch while pytest loads the checks
pytest_plugins = ("kata.options", "kata.plugin")
