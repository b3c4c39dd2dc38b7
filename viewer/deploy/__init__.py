"""Deployment: what the installers and packages are made of, as code that is tested here —
the frozen app's layout and size budget, the Linux package's files (desktop entry, systemd
unit, control file), the site file written from installer properties, and the policy
templates (ADMX/ADML, macOS configuration profile) generated from the configuration models.
The recipes in `packaging/` call these; of the viewer itself only `viewer config site-file`
(what an installer runs) uses this package."""
