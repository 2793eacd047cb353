"""What a typed search may hand to the full-text backends: its words only."""

import re

# A word as the full-text tokenizers cut text: letters and digits of any script.
WORD_RE = re.compile(r"[^\W_]+")
# The backends nest one SQL expression per word: a few hundred words exceed Python's
# recursion limit on PostgreSQL. The public field allows 100 characters (50 words).
MAX_SEARCH_WORDS = 50


def search_words(text):
    """The words of a typed search, joined by spaces; "" when it has none.

    The search backends hand each space-separated term to the database's full-text
    syntax, where quotes, parentheses, colons, ``*``, ``^`` and ``-`` are operators:
    modelsearch's SQLite backend quotes each term as an FTS5 string without doubling the
    ``"`` in it, so ``"`` or ``a"b:c`` is an FTS5 syntax error (or "no such column").
    Only the words go to the backend, then, which is also what a search is about: the
    tokenizers drop punctuation from the indexed text anyway, so ``"jardin partagé"``
    still finds the words jardin and partagé. Words past MAX_SEARCH_WORDS are left out.
    """
    return " ".join(WORD_RE.findall(text)[:MAX_SEARCH_WORDS])
