"""Browser tests of the web console (a package, so that its conftest does not shadow Tests/python/conftest.py)."""
