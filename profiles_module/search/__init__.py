"""Finding households: the map page, its filters and result cards, the map's data and the
read-only API."""
