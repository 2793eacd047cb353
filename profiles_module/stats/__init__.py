"""Public figures about the fiches, for the network's advocacy: counts, never people."""
