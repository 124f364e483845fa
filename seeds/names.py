"""Names: people by locale, fictional company names and domains, countries, account owners.

Company domains are `<root>-<word>.example`: the `.example` top-level domain is reserved
(RFC 2606), so no generated domain can belong to a real company. Every (root, word) pair is used at
most once, which makes every account domain unique by construction (see `generator._slot`).
"""

from __future__ import annotations

import unicodedata

FIRST_NAMES = {
    "de": ("Lukas", "Jonas", "Felix", "Maximilian", "Paul", "Leon", "Tobias", "Stefan", "Andreas",
           "Michael", "Thomas", "Markus", "Florian", "Sebastian", "Christian", "Matthias", "Daniel",
           "Jan", "Tim", "Niklas", "Jürgen", "Uwe", "Ralf", "Dirk", "Frank", "Björn", "Jörg",
           "Anna", "Laura", "Julia", "Lena", "Sarah", "Katharina", "Sophie", "Miriam", "Sabine",
           "Claudia", "Petra", "Andrea", "Franziska", "Johanna", "Carina", "Nina", "Eva", "Ute",
           "Birgit", "Anja", "Melanie"),
    "fr": ("Antoine", "Julien", "Nicolas", "Mathieu", "Pierre", "Thomas", "Hugo", "Louis", "Maxime",
           "Guillaume", "Sébastien", "Olivier", "François", "Jérôme", "Camille", "Chloé", "Léa",
           "Manon", "Claire", "Sophie", "Élodie", "Céline", "Amélie", "Hélène", "Aurélie",
           "Isabelle", "Nathalie", "Émilie", "Margaux", "Inès"),
    "en": ("James", "John", "Michael", "David", "Robert", "Daniel", "Matthew", "Andrew", "Ryan",
           "Kevin", "Brian", "Jason", "Christopher", "Thomas", "William", "Emily", "Sarah",
           "Jessica", "Jennifer", "Rachel", "Laura", "Megan", "Emma", "Olivia", "Hannah", "Rebecca",
           "Amanda", "Karen", "Priya", "Raj", "Wei", "Carlos", "Maria", "Ana", "Diego", "Aisha",
           "Omar", "Grace", "Nathan", "Tyler"),
    "nl": ("Daan", "Sem", "Lars", "Bram", "Thijs", "Jeroen", "Maarten", "Ruben", "Joost", "Sanne",
           "Femke", "Lotte", "Eva", "Anouk", "Marieke", "Esther", "Iris", "Koen"),
    "it": ("Marco", "Luca", "Alessandro", "Andrea", "Matteo", "Davide", "Giorgio", "Francesca",
           "Chiara", "Giulia", "Elena", "Sara", "Valentina", "Paola", "Stefano"),
    "sv": ("Erik", "Anders", "Johan", "Oskar", "Karl", "Nils", "Magnus", "Emma", "Elin", "Sara",
           "Karin", "Ingrid", "Maja", "Linnea"),
    "ja": ("Hiroshi", "Takashi", "Kenji", "Yuki", "Daisuke", "Satoshi", "Haruto", "Akiko", "Yumi",
           "Naoko", "Emi", "Sakura", "Kaori", "Shota"),
    "ko": ("Min-jun", "Ji-hoon", "Seo-yeon", "Ji-woo", "Hyun-woo", "Soo-jin", "Dong-hyun", "Eun-ji",
           "Jae-won", "Ha-eun"),
    "zh": ("Wei", "Jie", "Ming", "Hao", "Yu-ting", "Chia-hui", "Chun-yi", "Hsin-yi", "Kuan-lin",
           "Yi-chen", "Po-han", "Mei-ling"),
}

LAST_NAMES = {
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
           "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
           "Werner", "Krause", "Meier", "Lehmann", "Köhler", "Herrmann", "Walter", "König",
           "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Scholz", "Möller", "Weiß", "Jung",
           "Hahn", "Vogel", "Friedrich", "Günther", "Keller", "Frank", "Berger", "Winkler",
           "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Simon", "Ludwig", "Böhm"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David",
           "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
           "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure",
           "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin"),
    "en": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
           "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
           "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
           "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Carter",
           "Roberts", "Patel", "Nguyen", "Chen", "Kim", "Singh", "Hughes", "Foster", "Price",
           "Bennett", "Wood", "Barnes", "Ross", "Henderson", "Coleman", "Jenkins", "Perry"),
    "nl": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
           "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
           "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kok"),
    "it": ("Rossi", "Russo", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
           "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi",
           "Moretti"),
    "sv": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
           "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
           "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue"),
    "ko": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh"),
    "zh": ("Chen", "Lin", "Huang", "Chang", "Lee", "Wang", "Wu", "Liu", "Tsai", "Yang", "Hsu",
           "Cheng", "Hsieh", "Kuo"),
}

# Country -> (locale of people names, title language, UTC offset in hours, display name).
COUNTRIES = {
    "DE": ("de", "de", 1, "Germany"),
    "AT": ("de", "de", 1, "Austria"),
    "CH": ("de", "de", 1, "Switzerland"),
    "FR": ("fr", "fr", 1, "France"),
    "GB": ("en", "en", 0, "United Kingdom"),
    "US": ("en", "en", -6, "United States"),
    "CA": ("en", "en", -5, "Canada"),
    "NL": ("nl", "en", 1, "Netherlands"),
    "IT": ("it", "en", 1, "Italy"),
    "SE": ("sv", "en", 1, "Sweden"),
    "JP": ("ja", "en", 9, "Japan"),
    "KR": ("ko", "en", 9, "South Korea"),
    "TW": ("zh", "en", 8, "Taiwan"),
    "SG": ("zh", "en", 8, "Singapore"),
    "IN": ("en", "en", 5, "India"),
    "BR": ("en", "en", -3, "Brazil"),
}

# Where accounts of each naming language are, with weights.
COUNTRIES_BY_LANGUAGE = {
    "de": (("DE", 60), ("AT", 15), ("CH", 25)),
    "fr": (("FR", 85), ("CH", 15)),
    "en": (("US", 36), ("GB", 11), ("DE", 11), ("FR", 5), ("NL", 7), ("IT", 5), ("SE", 4),
           ("JP", 6), ("KR", 4), ("TW", 4), ("SG", 1), ("CA", 2), ("IN", 2), ("BR", 2)),
}

LEGAL_FORMS = {
    "DE": (("GmbH", 70), ("AG", 20), ("GmbH & Co. KG", 10)),
    "AT": (("GmbH", 80), ("AG", 20)),
    "CH": (("AG", 60), ("GmbH", 30), ("SA", 10)),
    "FR": (("SAS", 70), ("SA", 30)),
    "GB": (("Ltd", 85), ("plc", 15)),
    "US": (("Inc.", 70), ("Corp.", 20), ("LLC", 10)),
    "CA": (("Inc.", 100),),
    "NL": (("B.V.", 85), ("N.V.", 15)),
    "IT": (("S.r.l.", 60), ("S.p.A.", 40)),
    "SE": (("AB", 100),),
    "JP": (("Co., Ltd.", 60), ("K.K.", 40)),
    "KR": (("Co., Ltd.", 100),),
    "TW": (("Corp.", 60), ("Co., Ltd.", 40)),
    "SG": (("Pte. Ltd.", 100),),
    "IN": (("Pvt. Ltd.", 100),),
    "BR": (("Ltda.", 100),),
}

# Account owners (sales reps), by region.
OWNERS = {
    "dach": ("lena.hofmann", "tobias.krause", "nina.albers"),
    "fr": ("camille.girard", "julien.marchal"),
    "emea": ("sophie.bennett", "pieter.van.loon", "marco.ferri"),
    "na": ("mike.donovan", "jessica.tran", "ryan.cole"),
    "apac": ("kenji.sato", "grace.lin"),
}
REGION_OF = {"DE": "dach", "AT": "dach", "CH": "dach", "FR": "fr", "US": "na", "CA": "na",
             "BR": "na", "JP": "apac", "KR": "apac", "TW": "apac", "SG": "apac", "IN": "apac"}

# Company name roots: surnames and invented brand names. None of them is a well-known company.
_SURNAME_ROOTS = (
    "Kessler", "Brandt", "Hartwig", "Lindner", "Albrecht", "Reinhardt", "Falk", "Kramer",
    "Lorenz", "Seidel", "Winter", "Ziegler", "Engel", "Graf", "Haas", "Lang", "Pohl", "Sauer",
    "Thiel", "Ulrich", "Voss", "Arnaud", "Bertin", "Chevalier", "Delorme", "Garnier", "Marchand",
    "Perrin", "Renaud", "Vidal", "Ashford", "Barrett", "Bramley", "Carver", "Dalton", "Everett",
    "Fairfax", "Granger", "Hadley", "Kendall", "Langford", "Mercer", "Norwood", "Prescott",
    "Radcliffe", "Thornton", "Whitmore", "Colombo", "Galli", "Moretti", "Ricci", "Nyberg", "Holm",
    "Dekker", "Visser", "Hayashi", "Moritz", "Steiner", "Wendel", "Aldridge", "Beaumont",
    "Calloway", "Dorsey", "Eckhardt", "Fenwick", "Gerlach", "Hollis", "Imhof", "Jessen",
)
_PREFIXES = (
    "Vel", "Nor", "Ax", "Sil", "Cor", "Kry", "Tes", "Mer", "Zen", "Quan", "Ter", "Hal", "Vex",
    "Pra", "Sen", "Cal", "Dyn", "Aur", "Fer", "Gal", "Hel", "Kal", "Lyr", "Mag", "Nex", "Orb",
    "Pyr", "Rho", "Sol", "Tav", "Ul", "Var", "Wel", "Xen", "Yor", "Zal", "Bel", "Cir", "Dar", "El",
)
_SUFFIXES = (
    "trix", "ora", "ion", "ex", "is", "ant", "ara", "eon", "yx", "ent", "ica", "ode", "ium", "on",
    "ano", "eta", "ix", "ar", "us", "ona",
)
# Roots the hand-written scenario accounts use: never drawn for generated accounts.
RESERVED_ROOTS = frozenset({"brenner", "lumetra", "castellan", "nordwerk"})


def _roots() -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in _SURNAME_ROOTS + tuple(p + s for p in _PREFIXES for s in _SUFFIXES):
        key = slug(name)
        if key and key not in seen and key not in RESERVED_ROOTS:
            seen[key] = name
    return tuple(seen.values())


# Company words: (display, industry, naming language). Single tokens, no hyphens, and none of
# them appears in NEW_COMPANY_WORDS, so lead companies can never take an account's domain.
COMPANY_WORDS = (
    # industrial automation
    ("Automation", "industrial_automation", "en"), ("Robotics", "industrial_automation", "en"),
    ("Motion", "industrial_automation", "en"), ("Controls", "industrial_automation", "en"),
    ("Drives", "industrial_automation", "en"), ("Industrial", "industrial_automation", "en"),
    ("Fluidics", "industrial_automation", "en"), ("Mechatronics", "industrial_automation", "en"),
    ("Machineworks", "industrial_automation", "en"), ("Conveyors", "industrial_automation", "en"),
    ("Packaging", "industrial_automation", "en"), ("Actuators", "industrial_automation", "en"),
    ("Antriebstechnik", "industrial_automation", "de"),
    ("Automatisierung", "industrial_automation", "de"),
    ("Steuerungstechnik", "industrial_automation", "de"),
    ("Maschinenbau", "industrial_automation", "de"), ("Anlagenbau", "industrial_automation", "de"),
    ("Fördertechnik", "industrial_automation", "de"), ("Prozesstechnik", "industrial_automation", "de"),
    ("Automatismes", "industrial_automation", "fr"), ("Robotique", "industrial_automation", "fr"),
    ("Mécatronique", "industrial_automation", "fr"),
    # semiconductors
    ("Semiconductor", "semiconductors", "en"), ("Silicon", "semiconductors", "en"),
    ("Wafer", "semiconductors", "en"), ("Foundry", "semiconductors", "en"),
    ("Epitaxy", "semiconductors", "en"), ("Power", "semiconductors", "en"),
    ("Devices", "semiconductors", "en"), ("Lithography", "semiconductors", "en"),
    ("Halbleiter", "semiconductors", "de"), ("Semiconducteurs", "semiconductors", "fr"),
    ("Chips", "semiconductors", "en"),
    # microelectronics
    ("Microelectronics", "microelectronics", "en"), ("Microsystems", "microelectronics", "en"),
    ("Sensors", "microelectronics", "en"), ("Electronics", "microelectronics", "en"),
    ("MEMS", "microelectronics", "en"), ("Circuits", "microelectronics", "en"),
    ("Mikroelektronik", "microelectronics", "de"), ("Elektronik", "microelectronics", "de"),
    ("Microélectronique", "microelectronics", "fr"),
    # test & measurement
    ("Instruments", "test_and_measurement", "en"), ("Metrology", "test_and_measurement", "en"),
    ("Measurement", "test_and_measurement", "en"), ("Testsystems", "test_and_measurement", "en"),
    ("Calibration", "test_and_measurement", "en"), ("Analytics", "test_and_measurement", "en"),
    ("Probe", "test_and_measurement", "en"), ("Scopes", "test_and_measurement", "en"),
    ("Messtechnik", "test_and_measurement", "de"), ("Prüftechnik", "test_and_measurement", "de"),
    ("Mesure", "test_and_measurement", "fr"),
    # software
    ("Software", "software", "en"), ("Systems", "software", "en"), ("Data", "software", "en"),
    ("Cloud", "software", "en"), ("Digital", "software", "en"), ("Logic", "software", "en"),
    ("Networks", "software", "en"), ("Informatik", "software", "de"), ("Solutions", "software", "en"),
    ("Computing", "software", "en"), ("Logiciels", "software", "fr"),
)

# Words for companies that are NOT accounts (brand-new leads).
NEW_COMPANY_WORDS = ("Labs", "Ventures", "Innovations", "Technologies", "Dynamics", "Works",
                     "Photonics", "Energy", "Medical", "Mobility")

FREE_MAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "gmx.de", "web.de",
                     "t-online.de", "orange.fr", "icloud.com", "googlemail.com")
STUDENT_DOMAINS = ("northfield.edu", "students.lakeshore-tech.edu", "stud.uni-rheintal.de",
                   "etu.univ-garonne.fr")
COMPETITOR_DOMAINS = ("competitor.example", "rival-metrology.example")
SUBDOMAIN_PREFIXES = ("eu", "us", "de", "fr", "uk", "asia", "emea", "apac", "rd", "mail", "corp")

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                           "Ü": "Ue", "ø": "o", "æ": "ae", "å": "a"})


def ascii_fold(text: str) -> str:
    """German umlauts spelled out, other accents stripped: "Jürgen Möller" -> "Juergen Moeller"."""
    text = text.translate(_TRANSLIT)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: for domains and e-mail local parts."""
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


ROOTS = _roots()

assert not {slug(w) for w, _, _ in COMPANY_WORDS} & {slug(w) for w in NEW_COMPANY_WORDS}
assert len({slug(w) for w, _, _ in COMPANY_WORDS}) == len(COMPANY_WORDS)
