"""The `degrade-ml` command line."""
