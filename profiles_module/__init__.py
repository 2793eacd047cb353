"""Futurs voisins: profiles of households looking for cohousing, for Wagtail sites.

The layout is described in docs/architecture.md."""
