"""The app's StreamField blocks, at the stable import path host sites use.

Each block lives in its feature's folder; host migrations record this path (see the
DECONSTRUCT_ALIASES next to each block), so it must keep importing.
"""

from profiles_module.contact.blocks import ContactRelayBlock
from profiles_module.stats.blocks import ProfileCountBlock

__all__ = ["ContactRelayBlock", "ProfileCountBlock"]
