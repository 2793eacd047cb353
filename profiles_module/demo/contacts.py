"""Demo contact messages between demo households, for the owners' contact history
and the editors' statistics, with a few abuse reports."""

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db.models import Prefetch

from profiles_module.conf import app_settings
from profiles_module.demo.profiles import EMAIL_DOMAIN
from profiles_module.demo.vocabulary import capitalized
from profiles_module.models.contact import AbuseReport, ContactMessage
from profiles_module.models.partners import Partner
from profiles_module.models.profiles import Profile, Sector

DEMO_CONTACTS = 48


CONTACT_HISTORY = timedelta(days=365)


CONTACT_OPENINGS = [
    "Bonjour {name},",
    "Bonjour à vous, {name} !",
    "Bonsoir {name},",
]


CONTACT_BODIES = [
    "nous cherchons aussi un habitat participatif {place} et votre fiche nous parle "
    "beaucoup. Seriez-vous d'accord pour en discuter autour d'un café ?",
    "votre projet ressemble au nôtre. Nous organisons une réunion d'information le mois "
    "prochain : voulez-vous que nous vous gardions une place ?",
    "nous sommes un couple avec deux enfants, installés {place}. Avez-vous déjà visité des "
    "lieux ? Nous serions ravis de partager nos pistes.",
    "je viens de lire votre présentation : les valeurs que vous mettez en avant sont aussi "
    "les miennes. Pourrions-nous nous appeler cette semaine ?",
    "nous montons un groupe {place} et il nous manque un ou deux foyers. Si le cœur vous en "
    "dit, répondez-nous et nous vous enverrons notre charte.",
    "nous avons repéré un ancien corps de ferme {place}. Cela pourrait-il vous intéresser ?",
]


CONTACT_CLOSINGS = ["Bien à vous,", "À bientôt,", "Au plaisir de vous lire,", "Chaleureusement,"]


def demo_sector_codes(sector):
    """(région code, département code) of a sector whose places are loaded (see
    models.contact.territory_of, which reads them from the database)."""
    if sector.kind == Sector.Kind.REGION:
        return (sector.region.code, "") if sector.region else ("", "")
    if sector.kind == Sector.Kind.DEPARTEMENT:
        departement = sector.departement
    else:
        departement = sector.commune.departement if sector.commune else None
    return (departement.region.code, departement.code) if departement else ("", "")


def create_demo_contacts(count=DEMO_CONTACTS, *, now=None, seed="demo-contacts"):
    """Messages between public demo households over the last 12 months, so that the
    contact statistics and the owners' histories are not empty; texts older than
    CONTACT_BODY_DAYS are erased, as `run_lifecycle` would have. Reproducible for a given
    day and set of profiles; added once (nothing when a demo message exists already, or
    when there are fewer than two public demo profiles). Returns how many were added."""
    domain = "@" + EMAIL_DOMAIN
    if ContactMessage.objects.filter(sender_email__endswith=domain).exists():
        return 0
    profiles = list(
        Profile.objects.public()
        .filter(email__endswith=domain)
        .order_by("uid")
        .only("uid", "public_name", "email")
        .prefetch_related(
            Prefetch(
                "sectors",
                queryset=Sector.objects.select_related(
                    "commune__departement__region", "departement__region", "region"
                ),
            )
        )[:500]
    )
    if len(profiles) < 2:
        return 0
    territory = {}
    for profile in profiles:
        sectors = list(profile.sectors.all())
        territory[profile.pk] = demo_sector_codes(sectors[0]) if sectors else ("", "")
    by_region = defaultdict(list)
    for profile in profiles:
        by_region[territory[profile.pk][0]].append(profile)
    rng = random.Random(seed)  # noqa: S311  (demo data: reproducible on purpose)
    # Midnight UTC of the day: the same messages all day long.
    now = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    body_days = timedelta(days=app_settings.CONTACT_BODY_DAYS)
    messages = []
    for _number in range(count):
        sender = rng.choice(profiles)
        # People mostly write to households of their own région.
        neighbours = [p for p in by_region[territory[sender.pk][0]] if p.pk != sender.pk]
        if not neighbours or rng.random() < 0.15:
            neighbours = [p for p in profiles if p.pk != sender.pk]
        recipient = rng.choice(neighbours)
        created = now - CONTACT_HISTORY * rng.random() ** 1.3
        region_code, departement_code = territory[recipient.pk]
        first_sector = next(iter(recipient.sectors.all()), None)
        commune = first_sector.commune if first_sector else None
        place = f"vers {commune.name}" if commune else "dans votre secteur"
        body = "\n\n".join(
            [
                rng.choice(CONTACT_OPENINGS).format(name=recipient.public_name),
                capitalized(rng.choice(CONTACT_BODIES).format(place=place)),
                f"{rng.choice(CONTACT_CLOSINGS)}\n{sender.public_name}",
            ]
        )
        erased = created + body_days <= now
        messages.append(
            ContactMessage(
                recipient=recipient,
                recipient_uid=recipient.uid,
                sender_name=sender.public_name[:80],
                sender_email=sender.email,
                body="" if erased else body,
                body_erased_at=created + body_days if erased else None,
                created_at=created,
                status=(
                    ContactMessage.Status.FAILED
                    if rng.random() < 0.04
                    else ContactMessage.Status.SENT
                ),
                region_code=region_code,
                departement_code=departement_code,
            )
        )
    ContactMessage.objects.bulk_create(messages)
    report_demo_messages(messages, rng, now)
    return len(messages)


REPORT_COMMENTS = [
    "Ce message propose d'acheter un terrain, c'est de la publicité.",
    "La personne m'a déjà écrit trois fois alors que j'ai répondu non.",
    "",
]


def report_demo_messages(messages, rng, now):
    """Abuse reports on a few recent messages (texts not erased yet), so that the editors'
    Signalements screen has something to handle: one in each partner's territory (its
    editors see it), one elsewhere that only the national team sees."""
    recent = sorted((m for m in messages if m.body), key=lambda m: m.created_at, reverse=True)
    chosen = []
    for partner in Partner.objects.prefetch_related("regions", "departements"):
        regions = {region.code for region in partner.regions.all()}
        departements = {departement.code for departement in partner.departements.all()}
        inside = [
            m for m in recent if m.region_code in regions or m.departement_code in departements
        ]
        if inside:
            chosen.append(rng.choice(inside[:5]))
    outside = [m for m in recent if m.region_code not in {c.region_code for c in chosen}]
    if outside:
        chosen.append(rng.choice(outside[:5]))
    AbuseReport.objects.bulk_create(
        AbuseReport(
            message=message,
            comment=REPORT_COMMENTS[number % len(REPORT_COMMENTS)],
            created_at=min(now, message.created_at + timedelta(hours=rng.randint(2, 48))),
        )
        for number, message in enumerate(dict.fromkeys(chosen))
    )
