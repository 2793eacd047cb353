"""Suggestions ("voisins idéals"): for a published fiche, the most compatible other
fiches with the reasons of each, shown to its owner only."""
