"""Engines turn a view into frames: ``stream`` (default, blitting, parallel) and ``celluloid``."""
ENGINES = ("stream", "celluloid")
