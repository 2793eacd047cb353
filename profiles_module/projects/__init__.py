"""The projects of the national database: their import, their pages, their map layer."""
