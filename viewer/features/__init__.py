"""Features of a viewer window (rotation, health, the renderer's memory limit, latency, quit
after, screenshot …): small objects that start themselves and close themselves; the
application starts the ones its configuration asks for and registers each one's close."""
