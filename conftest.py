"""Project-wide pytest settings: pytester for the plugin tests."""

pytest_plugins = ["pytester"]
