"""HTML escaping for markup built in Python (the search widgets and cards)."""

import html


def escape(value):
    """conditional_escape without its lazy-string wrapper (a few µs per call here add up)."""
    if type(value) is str:  # Most values: no __html__ to look up.
        return html.escape(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def attributes_html(attrs):
    """HTML attributes, as django/forms/widgets/attrs.html writes them, every value escaped."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
