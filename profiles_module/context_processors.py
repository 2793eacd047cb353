"""Where member sites' settings name the embedding context processor (the README documents
this path); the code lives in partners/context_processors.py."""

from profiles_module.partners.context_processors import embed

__all__ = ["embed"]
