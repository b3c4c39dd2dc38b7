"""viewer: a desktop viewer for Qlik Sense sheets that hides the sheet the moment its session dies."""

__version__ = "0.1.0"
