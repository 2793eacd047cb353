"""The English versions of the demo's pages, by the slug of the French page they
translate (the English tree keeps the French slugs: only the language prefix changes)."""

HOME = {
    "introduction": (
        "<p>You want to live in cohousing (<i>habitat participatif</i>) but you are not in a "
        "project yet? <b>Futurs voisins</b> helps you find the households who are looking for "
        "the same thing as you, near you, to start a group together.</p>"
    ),
}

AURA_PLACE = "in Auvergne-Rhône-Alpes"

LEGAL_NOTICE = """
<p><b>Publisher</b>: the national network of cohousing associations (demonstration), a
non-profit association under the French law of 1901, 1 rue de l'Exemple, 75000 Paris.
Director of publication: the association's president.</p>
<p><b>Contact</b>: through the form of the "Contact the team" page.</p>
<p><b>Hosting</b>: the site's host (name, address and phone number to be completed by the
publisher before going live).</p>
<p><b>Content</b>: profiles are written by the households themselves, who can edit or
delete them at any time; the moderation team can hide a reported profile. Geographic
data: INSEE, IGN, La Poste (Licence Ouverte / Etalab). Map background: © OpenStreetMap
contributors.</p>
"""

PRIVACY_NOTICE = """
<p>The national network of cohousing associations is responsible for the data processed
by Futurs voisins. It is only used to put households who want to live in cohousing in
touch; it is neither sold nor passed on.</p>
<h2>The data of a profile</h2>
<p>Your public name, your household, the areas you are looking in, your project and your
presentation are published once your email address is confirmed. Your email address is
never published: it is used to confirm the profile and to send you your management link
and the other households' messages. Your budget range stays hidden unless you choose to
show it. Legal basis: your consent, which you can withdraw at any time by deleting your
profile.</p>
<p><b>How long we keep it</b>: an unconfirmed profile is erased after 7 days. Without news
from you, we write to you after 6 and 11 months, the profile is hidden after 12 months and
erased after 24 months of inactivity (with a warning 30 days before). You can edit it,
pause it, download your data or delete it at any time through the personal link in our
emails.</p>
<h2>Messages between households</h2>
<p>Messages go through a relay: the recipient household's email address is never shown to
the sender. A first message waits until its sender confirms their address; unconfirmed, it
is erased after 7 days. The text of a message is erased after 30 days; its sender's name
and address, used to block them or handle a report, after one year, like a report's
comment. What remains, to count the contacts made, is the date, the area and the state of
the delivery. When a profile is erased, the messages it received and wrote lose their text
at once, and its sender name and address. Email delivery records (recipient, subject) are
erased 30 days after sending; an expired personal link, 30 days after it ends.</p>
<h2>Alerts of new profiles</h2>
<p>From a map, you can receive the new profiles of a search by email. We keep your address,
the criteria of the search, the frequency you chose and the date of the last digest.
Nothing is sent before you confirm your address with the link you receive; an unconfirmed
alert is erased after 3 days. A confirmed alert lasts until you unsubscribe, in one click
from any of its emails: it is then erased, with your address. The alert a household makes
from its profile is erased with the profile.</p>
<h2>Cookies</h2>
<p>The site sets no advertising or audience measurement cookie. It uses:</p>
<ul>
<li>the session cookie, when you open your profile with your personal link (you stay
signed in for 2 hours);</li>
<li>the form protection cookie (CSRF);</li>
<li>the <code>fv_contact_sender</code> cookie, set when you confirm the address of a
message: it proves that this browser controls that address, so that your next messages go
out without a new confirmation. It holds no address (only an encrypted fingerprint) and
lasts one year after your last message.</li>
</ul>
<h2>The map background</h2>
<p>The maps load their background from an outside tile server, <b>{tile_host}</b>: as for
any site it visits, your browser sends it your IP address. No other data is sent to
it.</p>
<h2>Your rights</h2>
<p>You can access your data, correct it, download it or erase it from your profile, or by
writing to the team through the "Contact the team" page. You can also lodge a complaint
with the CNIL, the French data protection authority (www.cnil.fr).</p>
"""

ACCESSIBILITY_STATEMENT = """
<p>The national network of cohousing associations is committed to making Futurs voisins
accessible, in accordance with article 47 of the French law no. 2005-102 of 11 February
2005.</p>
<h2>Compliance status</h2>
<p>Futurs voisins is <b>partially compliant</b> with the French accessibility framework
(RGAA 4.1): no complete audit has been carried out yet.</p>
<h2>Content that is not accessible</h2>
<ul>
<li>The households' map is hard to use with a keyboard and a screen reader: the list of
results, beside the map, gives the same information.</li>
<li>Photos published by households may lack a description.</li>
</ul>
<h2>Feedback and contact</h2>
<p>If you cannot reach some content or a service, write to us through the "Contact the
team" page: we will answer and offer you another way to get the information.</p>
<h2>Remedies</h2>
<p>If you reported an accessibility problem to us without a satisfying answer, you can
write to the Défenseur des droits (www.defenseurdesdroits.fr).</p>
"""

PAGES = {
    "trouver": {
        "title": "Find future neighbours",
        "introduction": (
            "<p>Search among the households who want to live in cohousing, all over France: "
            "choose a town and a radius, a département or a région, then refine with your "
            "criteria (tenure, kind of project, horizon…). The map and the list show the same "
            "results.</p>"
        ),
    },
    "auvergne-rhone-alpes": {
        "title": "Future neighbours in Auvergne-Rhône-Alpes",
        "introduction": (
            "<p>The households looking for cohousing in Auvergne-Rhône-Alpes: a map limited "
            "to the région, as a regional network can offer on its website.</p>"
        ),
    },
    "publier-ma-fiche": {
        "title": "Publish my profile",
        "introduction": (
            "<p>Two minutes are enough. Your profile is published as soon as you confirm "
            "your email address; you can edit it, pause it or delete it at any time with the "
            "personal link of our emails.</p>"
        ),
    },
    "contacter-l-equipe": {
        "title": "Contact the team",
        "paragraph": (
            "<p>A question about Futurs voisins, a profile that is a problem, an idea? The "
            "network's coordination team answers you by email.</p>"
        ),
        "contact": {
            "heading": "Write to the coordination team",
            "intro": "Your message is sent to the team by email.",
        },
    },
    "les-chiffres": {
        "title": "Figures",
        "introduction": (
            "<p>How many households are looking for cohousing, where, and since when? The "
            "figures of the profiles published on Futurs voisins, all over France: per "
            "département, per kind of profile and month by month. So that no household can "
            "be recognised, a number under 5 is never shown.</p>"
        ),
    },
    "projets": {
        "title": "Projects",
        "introduction": (
            "<p>The cohousing projects of the national database: search them by name or "
            "town, and see the households who are part of them or interested in them. On "
            "the map of future neighbours, tick “Show the projects”.</p>"
        ),
    },
    "mentions-legales": {"title": "Legal notice", "body": LEGAL_NOTICE},
    "confidentialite": {"title": "Privacy notice", "body": PRIVACY_NOTICE},
    "accessibilite": {"title": "Accessibility", "body": ACCESSIBILITY_STATEMENT},
}
