"""The fiche itself: its public page and its admin."""
