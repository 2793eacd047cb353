"""Tests of profiles_module/search/."""

import json
import re


def map_options(response):
    """The options a map page gives its map (json_script "fv-map-options")."""
    html = response.content.decode()
    found = re.search(r'<script id="fv-map-options" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))
