"""The French reference geography: loading it, looking communes up, and the commune box
of the forms."""
