"""App settings: every name carries the PROFILES_ prefix and is read at call time.

    from profiles_module.conf import app_settings
    app_settings.PRESENTATION_MAX_LENGTH

Reading at call time (not import time) keeps `override_settings` working.
"""

from django.conf import settings

DEFAULTS = {
    # Longest presentation text a household may write, in characters.
    "PRESENTATION_MAX_LENGTH": 2000,
    # Longest side of a profile photo once resized, in pixels.
    "PHOTO_MAX_SIZE": 800,
    # Largest photo upload accepted, in bytes.
    "PHOTO_MAX_UPLOAD_BYTES": 8 * 1024 * 1024,
    # How many communes the autocomplete endpoint returns.
    "AUTOCOMPLETE_LIMIT": 10,
    # Lifetimes of the links sent to owners (README says why).
    "CONFIRM_LINK_DAYS": 7,
    "MANAGE_LINK_DAYS": 30,
    "EMAIL_CHANGE_LINK_HOURS": 48,
    # How long an owner stays signed in after following a management link, in minutes.
    "OWNER_SESSION_MINUTES": 120,
    # "Send me a new link" and the publish form: requests per window, per IP and per address.
    "LINK_REQUESTS_PER_IP": 10,
    "LINK_REQUESTS_PER_ADDRESS": 3,
    "SUBMISSIONS_PER_IP": 20,
    "RATE_LIMIT_WINDOW_SECONDS": 3600,
    # Outgoing email: attempts before giving up, first retry delay and longest delay (seconds).
    "EMAIL_MAX_ATTEMPTS": 20,
    "EMAIL_RETRY_DELAY_SECONDS": 60,
    "EMAIL_RETRY_MAX_DELAY_SECONDS": 6 * 3600,
    # Days a sent (or abandoned) message's metadata stays in the outbox before deletion.
    "OUTBOX_RETENTION_DAYS": 30,
    # Profiles per page of the map page's list.
    "SEARCH_PAGE_SIZE": 20,
    # Seconds a map page rendered for a browser that sends no cookie is served again to
    # the next such browser (search/page_cache.py); a change to a fiche, a page, a
    # partner or a list of choices takes effect at once. 0: each page is rendered anew.
    "MAP_PAGE_CACHE_SECONDS": 300,
    # Profiles per page of the API, by default and at most (?page_size=).
    "API_PAGE_SIZE": 50,
    "API_MAX_PAGE_SIZE": 500,
    # Most points the map receives for the visible area; above, counts per grid cell.
    "MAP_POINTS_LIMIT": 1000,
    # Contact relay: messages per IP per hour, per recipient per day, and the
    # days after which a message's body is erased (its metadata stays).
    "CONTACT_PER_IP_PER_HOUR": 5,
    "CONTACT_PER_RECIPIENT_PER_DAY": 10,
    "CONTACT_BODY_DAYS": 30,
    # Days a contact message keeps its sender's address and name (for the block list,
    # abuse reports and the household's history); after, only when and to whom.
    "CONTACT_SENDER_DAYS": 365,
    # Days an abuse report keeps the reporter's comment.
    "ABUSE_REPORT_COMMENT_DAYS": 365,
    # days a message waits for its sender to confirm their address before it is erased.
    "CONTACT_VERIFY_DAYS": 7,
    # Contact relay, abuse resistance. Valid messages per sender address per day (counted
    # on a hash of the address), and for the whole site per hour: a ceiling on what the
    # relay can send if every other limit is dodged (many IPs, addresses, recipients).
    # Counted in the Django cache, like the limits above: use a shared cache (Redis) when
    # several processes serve the site, or each counts on its own.
    "CONTACT_PER_SENDER_PER_DAY": 20,
    "CONTACT_OVERALL_PER_HOUR": 200,
    # Days the "block this sender" and "report abuse" links of a relayed message work.
    "CONTACT_ACTION_LINK_DAYS": 90,
    # Reverse proxies in front of the site that append the address they saw to
    # X-Forwarded-For. 0: visitors connect directly and REMOTE_ADDR is theirs. Behind one
    # proxy, REMOTE_ADDR is the proxy's for everyone, so every per-IP limit above would
    # count all visitors together. Entries further left than the proxies' own are
    # whatever the client sent and are never trusted.
    "TRUSTED_PROXIES": 0,
    # The contact forms refuse a message sent sooner than this after the form was shown
    # (a bot), or later than the maximum (the form's token has expired), in seconds.
    "CONTACT_FORM_MIN_SECONDS": 3,
    "CONTACT_FORM_MAX_SECONDS": 2 * 3600,
    # Search alerts: days an alert waits for its address to be confirmed before it is
    # erased (the confirmation link's lifetime too); alerts saved per window, per IP and
    # per address; most fiches listed in one digest (the map shows the others).
    "ALERT_CONFIRM_DAYS": 3,
    "ALERTS_PER_IP": 10,
    "ALERTS_PER_ADDRESS": 3,
    "ALERT_DIGEST_MAX_FICHES": 20,
    # Colour of the links and buttons of the emails (a partner's fiches use its own);
    # dark enough to read on white.
    "EMAIL_LINK_COLOUR": "#0b5d50",
    # Suggestions ("voisins idéals"): how many an owner sees, how often at most their
    # email of new suggestions is sent (days), and how many fiches one scheduled pass
    # looks at for it (the pass runs hourly: the rest wait for the next ones; about a
    # tenth of a second each, 1,000 an hour cover 100,000 fiches within a week).
    "SUGGESTIONS_COUNT": 6,
    "SUGGESTIONS_EMAIL_DAYS": 7,
    "SUGGESTIONS_EMAILS_PER_RUN": 1000,
    # The template the app's pages extend outside embedded pages (those extend the
    # embed layout): a host site's base template providing the blocks `title`,
    # `extra_css`, `content` and `extra_js`.
    "BASE_TEMPLATE": "base.html",
    # The national projects database: the address of its YesWiki Bazar JSON API (the
    # entries of the projects' form, e.g. https://…/?api/forms/1/entries). Empty: no
    # scheduled import (the command still imports a file or a given address).
    "PROJECTS_SOURCE_URL": "",
    # Hours between two scheduled imports of the projects.
    "PROJECTS_IMPORT_HOURS": 24,
    # An import gives up on an answer slower or larger than this (seconds, bytes).
    "PROJECTS_TIMEOUT_SECONDS": 30,
    "PROJECTS_MAX_BYTES": 20 * 1024 * 1024,
}

# What a valid value is, for each setting not a whole number above 0 (checks.py).
KINDS = {
    "TRUSTED_PROXIES": "count",
    "CONTACT_FORM_MIN_SECONDS": "count",
    "MAP_PAGE_CACHE_SECONDS": "count",
    "EMAIL_LINK_COLOUR": "colour",
    "BASE_TEMPLATE": "template",
    "PROJECTS_SOURCE_URL": "url",
}
# Settings for which 0 is meaningful; every other number must be positive.
MAY_BE_ZERO = {name for name, kind in KINDS.items() if kind == "count"}


class AppSettings:
    prefix = "PROFILES_"

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown profiles_module setting: {name}")
        return getattr(settings, self.prefix + name, DEFAULTS[name])


app_settings = AppSettings()
