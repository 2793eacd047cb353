"""Template tags of the host site."""
