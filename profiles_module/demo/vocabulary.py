"""What demo households are like: how often each answer comes up, and the sentences
of their presentations (all fictitious, in French like the site)."""

from itertools import accumulate

from profiles_module.models.profiles import AgeBand


class Weighted:
    """A closed list of values with weights, drawn from the caller's random generator."""

    def __init__(self, pairs):
        pairs = [(value, weight) for value, weight in pairs if weight > 0]
        self.values = [value for value, _weight in pairs]
        self.cum_weights = list(accumulate(weight for _value, weight in pairs))

    def __call__(self, rng):
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]

    def __bool__(self):
        return bool(self.values)


def w(weights):
    return Weighted(weights.items())


BANDS = [band.value for band in AgeBand]


KIND = w({"household": 88, "group": 6, "resident": 4, "resource": 2})


COMPOSITION = w(
    {"single": 26, "couple": 30, "family": 22, "single_parent": 8, "flatshare": 7, "other": 7}
)


ADULTS = {
    "single": w({1: 1}),
    "couple": w({2: 1}),
    "family": w({2: 9, 3: 1}),
    "single_parent": w({1: 1}),
    "flatshare": w({2: 30, 3: 35, 4: 20, 5: 15}),
    "other": w({1: 2, 2: 3, 3: 3, 4: 2}),
}


CHILDREN = {
    "single": w({0: 1}),
    "couple": w({0: 1}),
    "family": w({1: 35, 2: 40, 3: 18, 4: 7}),
    "single_parent": w({1: 50, 2: 38, 3: 12}),
    "flatshare": w({0: 85, 1: 10, 2: 5}),
    "other": w({0: 60, 1: 25, 2: 15}),
}


# Band of the first adult; the others are in the same band or the next one.
FIRST_BAND = {
    "single": w({"u30": 12, "30_44": 24, "45_59": 24, "60_74": 28, "75p": 12}),
    "couple": w({"u30": 14, "30_44": 26, "45_59": 20, "60_74": 32, "75p": 8}),
    "family": w({"u30": 12, "30_44": 63, "45_59": 25}),
    "single_parent": w({"u30": 10, "30_44": 60, "45_59": 30}),
    "flatshare": w({"u30": 40, "30_44": 30, "45_59": 10, "60_74": 20}),
    "other": w({"u30": 20, "30_44": 30, "45_59": 25, "60_74": 20, "75p": 5}),
}


FIRST_SECTOR = {
    "household": w({"commune": 78, "departement": 14, "region": 8}),
    "group": w({"commune": 90, "departement": 8, "region": 2}),
    "resident": w({"commune": 95, "departement": 5}),
    "resource": w({"commune": 25, "departement": 40, "region": 35}),
}


EXTRA_SECTORS = {
    "household": w({0: 60, 1: 28, 2: 12}),
    "group": w({0: 85, 1: 15}),
    "resident": w({0: 90, 1: 10}),
    "resource": w({0: 70, 1: 30}),
}


EXTRA_SECTOR = w({"nearby": 50, "elsewhere": 20, "departement": 15, "region": 15})


RADIUS_BY_SIZE = {
    "city": w({5: 4, 10: 4, 20: 2}),
    "town": w({5: 2, 10: 4, 20: 3, 50: 1}),
    "village": w({5: 1, 10: 3, 20: 4, 50: 3}),
}


SETTING_BY_SIZE = {
    "city": w({"urban": 50, "periurban": 25, "any": 15, "rural": 10}),
    "town": w({"periurban": 40, "urban": 15, "rural": 25, "any": 20}),
    "village": w({"rural": 60, "periurban": 15, "any": 25}),
}


TENURE = w({"cooperative": 22, "ownership": 22, "rental": 15, "solidarity_lease": 13, "any": 18})


FINANCING_BY_TENURE = {
    "rental": w({"lt20k": 50, "20k_75k": 20, "undisclosed": 30}),
    "ownership": w({"75k_150k": 35, "150k_300k": 35, "gt300k": 12, "undisclosed": 18}),
    "": w(
        {
            "lt20k": 18,
            "20k_75k": 25,
            "75k_150k": 22,
            "150k_300k": 13,
            "gt300k": 4,
            "undisclosed": 18,
        }
    ),
}


HORIZON = w({"lt1": 20, "1_3": 50, "gt3": 25})


# "" is a criterion left empty.
ROLE = {
    "household": w({"join": 42, "both": 32, "create": 14, "": 12}),
    "group": w({"create": 55, "both": 30, "": 15}),
    "resident": w({"": 60, "both": 20, "create": 20}),
    "resource": w({"": 1}),
}


# Options editors add later get a weight of 1.
OPTION_WEIGHTS = {
    "project_kind": {"new_build": 4, "renovation": 4, "ecohamlet": 3, "intergenerational": 4},
    "step": {"in_touch": 5, "association_member": 4, "training": 4, "group_member": 2},
    "value": {"ecology": 6, "solidarity": 6, "sharing": 5, "shared_governance": 4},
}


VALUES_OTHER = [
    "permaculture",
    "habitat léger",
    "jardin partagé",
    "vie sans voiture",
    "accueil de personnes exilées",
    "musique et spectacle vivant",
    "éducation alternative",
    "animaux bienvenus",
    "zéro déchet",
    "artisanat et low-tech",
]


FIRST_NAMES = {
    "young": (
        "Léa Manon Chloé Emma Inès Sarah Camille Julie Laura Pauline Lucie Zoé Jade Louise "
        "Alice Agathe Margaux Clémence Elsa Noémie Maëlle Solène Yasmine Leïla Mathilde "
        "Juliette Charlotte Anaïs Océane Marion Thomas Nicolas Julien Maxime Antoine Hugo "
        "Lucas Louis Léo Gabriel Arthur Raphaël Paul Jules Romain Mehdi Yanis Sofiane Théo "
        "Baptiste Quentin Florian Adrien Bastien Kévin Malik Enzo Nathan Clément Axel"
    ).split(),
    "middle": (
        "Nathalie Isabelle Sophie Céline Sandrine Valérie Stéphanie Aurélie Virginie Karine "
        "Nadia Fatima Véronique Laurence Anne Claire Hélène Delphine Emmanuelle Corinne "
        "Sébastien Olivier Laurent Christophe Stéphane Frédéric David Vincent Karim Samir "
        "Franck Thierry Pascal Jérôme Fabrice Yann Benoît Arnaud Cédric Didier"
    ).split(),
    "older": (
        "Martine Françoise Monique Brigitte Christine Catherine Sylvie Danielle Jacqueline "
        "Annie Chantal Nicole Michèle Dominique Marie-Claude Josette Odile Geneviève Colette "
        "Évelyne Michel Bernard Alain Gérard Jean Patrick Philippe Daniel Christian Jacques "
        "Claude Jean-Pierre Gilbert René Serge Hervé Joël Yves Rachid Mohamed"
    ).split(),
}


AGE_GROUP = {"u30": "young", "30_44": "young", "45_59": "middle", "60_74": "older", "75p": "older"}


PSEUDONYMS = (
    "Colibri Tournesol Hirondelle Libellule Coquelicot Écureuil Mésange Chouette Pissenlit "
    "Capucine Noisette Myrtille Rouge-gorge Marmotte Hérisson Ricochet Luciole Tilleul Cerf-volant"
).split()


PLURAL_PSEUDONYMS = (
    "Colibris Tournesols Hirondelles Libellules Coquelicots Écureuils Mésanges Chouettes "
    "Capucines Noisettes Myrtilles Marmottes Hérissons Lucioles Ricochets"
).split()


# Names of imaginary cohousing places, with their article.
PLACES = [
    "la Ruche",
    "l'Oasis",
    "les Tilleuls",
    "le Grand Chêne",
    "la Bergerie",
    "la Clairière",
    "les Cèdres",
    "le Moulin",
    "la Fabrique",
    "le Verger",
    "les Trois Chênes",
    "la Maison commune",
    "le Hameau des Buis",
    "les Jardins du Lavoir",
    "la Cour commune",
    "l'Arbre à palabres",
    "la Grange",
    "le Champ des possibles",
]


NUMBERS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()


# Sentence fragments, as (written by one person, written by several).
INTRO = {
    "single": [
        ("Je vis seul·e et j'ai envie de partager plus avec mes voisins.", ""),
        ("Seul·e dans mon logement actuel, je cherche un lieu de vie plus collectif.", ""),
        ("Je cherche un habitat participatif pour ne plus vivre chacun chez soi.", ""),
    ],
    "couple": [
        ("", "Nous sommes un couple et nous rêvons d'un habitat partagé."),
        ("", "En couple, nous voulons vivre dans un lieu plus convivial."),
        ("", "Nous sommes deux et cherchons un projet à taille humaine."),
    ],
    "family": [
        ("", "Nous sommes une famille avec {children}."),
        ("", "Parents de {children}, nous voulons les voir grandir entourés de voisins."),
    ],
    "single_parent": [
        ("Je vis seul·e avec {children}.", ""),
        ("Parent solo de {children}, je cherche plus d'entraide au quotidien.", ""),
    ],
    "flatshare": [
        ("", "Nous sommes {adults} ami·es et voulons habiter ensemble, chacun chez soi."),
        ("", "Nous vivons déjà en colocation à {adults} et voulons aller plus loin."),
    ],
    "other": [
        ("Ma situation ne rentre pas vraiment dans les cases.", "Notre foyer est un peu atypique."),
        ("Je cherche des voisins ouverts et curieux.", "Nous cherchons des voisins ouverts."),
    ],
    "group": [
        ("", "Notre groupe réunit déjà {adults} adultes autour d'un projet commun."),
        ("", "Nous sommes un groupe en constitution et cherchons encore quelques foyers."),
        ("", "Notre collectif se retrouve chaque mois depuis un an pour bâtir le projet."),
    ],
    "resident": [
        (
            "J'habite dans un habitat participatif et je raconte volontiers notre aventure.",
            "Nous vivons en habitat participatif depuis quelques années et aimons en parler.",
        ),
    ],
    "resource": [
        ("J'accompagne des groupes d'habitat participatif, du premier atelier à la fin.", ""),
        ("Je travaille pour une collectivité qui soutient l'habitat participatif.", ""),
        ("Je conseille les groupes sur le montage juridique et financier du projet.", ""),
        ("Je travaille chez un bailleur social ouvert à l'habitat participatif.", ""),
    ],
}


AGE_SENTENCE = {
    "u30": ("J'ai moins de trente ans.", "Nous avons moins de trente ans."),
    "30_44": ("J'ai entre trente et quarante-cinq ans.", "Nous avons la trentaine."),
    "45_59": ("J'ai la cinquantaine.", "Nous avons la cinquantaine."),
    "60_74": ("Je suis jeune retraité·e.", "Nous sommes jeunes retraités."),
    "75p": ("J'ai plus de soixante-quinze ans.", "Nous avons plus de soixante-quinze ans."),
}


KIND_SENTENCE = {
    "group": ("", "Il reste de la place pour de nouveaux foyers : venez nous rencontrer !"),
    "resident": ("Les visites sont possibles sur demande.", "Nous accueillons les visites."),
    "resource": ("Je peux aussi orienter vers les associations du réseau.", ""),
}


VALUE_SENTENCE = {
    "ecology": (
        "L'écologie guide mes choix : potager, matériaux sains, moins de voiture.",
        "L'écologie guide nos choix : potager, matériaux sains, moins de voiture.",
    ),
    "solidarity": (
        "L'entraide entre voisins compte beaucoup pour moi.",
        "L'entraide entre voisins compte beaucoup pour nous.",
    ),
    "intergenerational": (
        "J'aimerais vivre avec des voisins de tous les âges.",
        "Nous aimerions vivre avec des voisins de tous les âges.",
    ),
    "accessibility": (
        "Un logement accessible est indispensable pour moi.",
        "Un logement accessible est indispensable pour nous.",
    ),
    "sharing": (
        "Partager une buanderie, un atelier ou une chambre d'amis me paraît évident.",
        "Partager une buanderie, un atelier ou une chambre d'amis nous paraît évident.",
    ),
    "shared_governance": (
        "Je tiens à des décisions prises ensemble, par consentement.",
        "Nous tenons à des décisions prises ensemble, par consentement.",
    ),
}


PROJECT_SENTENCE = {
    "new_build": (
        "Une construction neuve et bien isolée me conviendrait.",
        "Une construction neuve et bien isolée nous conviendrait.",
    ),
    "renovation": (
        "Réhabiliter un bâtiment ancien me plairait beaucoup.",
        "Réhabiliter un bâtiment ancien nous plairait beaucoup.",
    ),
    "ecohamlet": ("Un écolieu à la campagne, c'est mon rêve.", "Un écolieu, c'est notre rêve."),
    "senior": (
        "Je pense à un habitat senior pour bien vieillir entouré·e.",
        "Nous pensons à un habitat senior pour bien vieillir entourés.",
    ),
}


TENURE_SENTENCE = {
    "cooperative": (
        "La coopérative d'habitants m'attire : sortir le logement de la spéculation.",
        "La coopérative d'habitants nous attire : sortir le logement de la spéculation.",
    ),
    "rental": (
        "Je cherche plutôt en location, éventuellement sociale.",
        "Nous cherchons plutôt en location, éventuellement sociale.",
    ),
    "ownership": (
        "Je peux acheter mon logement en autopromotion.",
        "Nous pouvons acheter notre logement en autopromotion.",
    ),
    "solidarity_lease": (
        "Un bail réel solidaire rendrait le projet accessible.",
        "Un bail réel solidaire rendrait le projet accessible.",
    ),
}


HORIZON_SENTENCE = {
    "lt1": ("J'aimerais emménager d'ici un an.", "Nous aimerions emménager d'ici un an."),
    "1_3": (
        "Je vise un emménagement d'ici deux ou trois ans.",
        "Nous visons un emménagement d'ici deux ou trois ans.",
    ),
    "gt3": ("Rien ne presse : c'est un projet au long cours.",) * 2,
}


SECTOR_SENTENCE = {
    "commune": ("Je cherche du côté {place}.", "Nous cherchons du côté {place}."),
    "departement": ("Tout le département m'intéresse.", "Tout le département nous intéresse."),
    "region": ("Je suis ouvert·e à toute la région.", "Nous sommes ouverts à toute la région."),
}


RESIDENT_SECTOR_SENTENCE = {
    "commune": ("Mon habitat se trouve du côté {place}.", "Notre habitat est du côté {place}."),
    "departement": ("Notre habitat est dans ce département.",) * 2,
    "region": ("Notre habitat est dans cette région.",) * 2,
}


PLACE_SENTENCE = (
    "J'ai repéré un terrain qui pourrait convenir.",
    "Nous avons repéré un lieu qui pourrait convenir.",
)


CLOSING = [
    "Au plaisir d'échanger !",
    "N'hésitez pas à écrire via le formulaire de contact.",
    "Au plaisir de vous rencontrer.",
    "À bientôt peut-être !",
]


def of_place(place):
    """ "le Moulin" -> "du Moulin", "les Cèdres" -> "des Cèdres", "la Ruche" -> "de la Ruche"."""
    if place.startswith("le "):
        return "du " + place[3:]
    if place.startswith("les "):
        return "des " + place[4:]
    return "de " + place


def of_name(name):
    """ "Le Mans" -> "du Mans", "Les Lilas" -> "des Lilas", "Angers" -> "d'Angers"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name and name[0] in "AEIOUYÂÉÈÊÎÔ":
        return "d'" + name
    return "de " + name


def size_of(commune):
    if commune.population >= 50_000:
        return "city"
    return "town" if commune.population >= 5_000 else "village"


def capitalized(text):
    return text[0].upper() + text[1:]
