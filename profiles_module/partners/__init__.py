"""Partner associations (marque blanche): embedded pages in their colours, limited to
their territory, and their editors' territory-limited admin."""
