"""Fictitious but plausible data for the demo site and load tests: households
(profiles.py, with what they are like in vocabulary.py) and the messages between them
(contacts.py)."""
