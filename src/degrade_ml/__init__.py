"""degrade-ml: what happens at a sulfide solid-electrolyte interface, learned from the literature."""

__version__ = "0.1.0"
