"""The analyst's desktop: what a window of sheet tabs keeps between runs, the catalogue of a
tenant's apps and sheets the hub lists, and the window's commands."""
