"""The analyst's desktop: the window of sheet tabs, what it learns of each tab's app and keeps
between runs, the catalogue of a tenant's apps and sheets the hub lists, the window's commands,
the first run and the restart on another profile."""
