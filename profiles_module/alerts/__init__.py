"""Search alerts: a map page's search saved with an address, and its digests of new fiches."""
