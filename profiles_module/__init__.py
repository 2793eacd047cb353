"""Futurs voisins: household profiles for people looking for cohousing (habitat participatif)."""
