"""The contact relay: households and visitors write to a household (or to a contact
block's private address) without either address ever being shown; sender verification,
abuse layers, history, statistics and retention."""
