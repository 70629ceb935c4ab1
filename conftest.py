"""pytest setup for the kata: everything lives in the kata's plugin (kata/plugin.py)."""

pytest_plugins = ("kata.plugin",)
