"""Rate limits counted in the Django cache, per visitor address, email address or
recipient, for every public form."""

import hashlib
import logging

from django.core.cache import cache

from profiles_module.conf import app_settings

logger = logging.getLogger("profiles_module")


# Set once the missing header has been reported: a misconfiguration shows on every
# request, and one line per process says it without flooding the log.
warned_about_missing_proxy_header = False


def client_ip(request):
    """The visitor's address for the rate limits: REMOTE_ADDR, or behind PROFILES_TRUSTED_PROXIES
    reverse proxies the address the outermost of them saw in X-Forwarded-For."""
    global warned_about_missing_proxy_header
    proxies = app_settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and forwarded:
        # Each proxy appends what it saw: the last `proxies` entries are theirs; anything
        # before is the client's own claim.
        return forwarded[-min(proxies, len(forwarded))]
    if proxies and not warned_about_missing_proxy_header:
        warned_about_missing_proxy_header = True
        logger.warning(
            "PROFILES_TRUSTED_PROXIES is %d but a request came without X-Forwarded-For: "
            "the per-IP limits count the connection's address. If visitors reach the "
            "server directly, set it to 0 (env TRUSTED_PROXIES), or a client can choose "
            "its address by sending the header; otherwise make the proxy append it.",
            proxies,
        )
    return request.META.get("REMOTE_ADDR", "")


def over_limit(scope, value, limit, window=None):
    """Count one request for (scope, value) in the current window (RATE_LIMIT_WINDOW_SECONDS
    unless `window` is given, in seconds); True past `limit`."""
    window = window or app_settings.RATE_LIMIT_WINDOW_SECONDS
    digest = hashlib.sha256(f"{scope}:{value}".lower().encode()).hexdigest()
    key = f"profiles_module:rate:{digest}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
