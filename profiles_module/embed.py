"""Where member sites' settings name the embedding middleware (the README documents this
path); the code lives in partners/embed.py."""

from profiles_module.partners.embed import EmbedCsrfViewMiddleware, EmbedMiddleware

__all__ = ["EmbedCsrfViewMiddleware", "EmbedMiddleware"]
