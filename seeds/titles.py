"""Job titles by department, seniority and language (English, German, French).

Each title is listed under the seniority it really carries, so seniority and title never disagree
("Leiter Produktion" is a director, "Prüfingenieur" an individual contributor). A language with no
entry falls back to English.
"""

from __future__ import annotations

# TITLES[department][seniority] = {"en": (...), "de": (...), "fr": (...)}
TITLES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "engineering": {
        "c_level": {"en": ("Chief Technology Officer", "CTO"), "de": ("Technischer Geschäftsführer",),
                    "fr": ("Directeur technique",)},
        "vp": {"en": ("VP Engineering", "Vice President of Engineering"),
               "fr": ("Vice-président ingénierie",)},
        "director": {"en": ("Director of Engineering", "Engineering Director", "Head of Engineering"),
                     "de": ("Leiter Entwicklung", "Leiter Technik", "Bereichsleiter Engineering"),
                     "fr": ("Directeur de l'ingénierie",)},
        "manager": {"en": ("Engineering Manager", "Test Engineering Manager", "Automation Engineering Manager"),
                    "de": ("Teamleiter Entwicklung", "Gruppenleiter Prüftechnik", "Teamleiter Automatisierung"),
                    "fr": ("Responsable bureau d'études", "Responsable ingénierie test")},
        # senior / individual engineering titles come from ENGINEER_TITLES (industry flavoured)
    },
    "r_and_d": {
        "c_level": {"en": ("Chief Scientist",)},
        "vp": {"en": ("VP Research & Development", "VP R&D")},
        "director": {"en": ("Director of R&D", "R&D Director"),
                     "de": ("Leiter Forschung und Entwicklung",), "fr": ("Directeur R&D",)},
        "manager": {"en": ("R&D Manager", "Research Manager"), "de": ("Gruppenleiter Forschung",),
                    "fr": ("Responsable R&D",)},
        "senior": {"en": ("Senior Research Scientist", "Principal Scientist", "Senior Development Engineer"),
                   "de": ("Senior Entwicklungsingenieur",), "fr": ("Ingénieur R&D senior",)},
        "individual": {"en": ("Research Scientist", "R&D Engineer", "Development Engineer",
                              "Process Development Engineer"),
                       "de": ("Entwicklungsingenieur", "Entwicklungsingenieurin"),
                       "fr": ("Ingénieur R&D", "Ingénieure développement")},
    },
    "operations": {
        "c_level": {"en": ("Chief Operating Officer", "COO"), "de": ("Geschäftsführer Operations",),
                    "fr": ("Directeur général délégué",)},
        "vp": {"en": ("VP Operations", "Vice President of Operations", "VP of Operations", "SVP Global Operations")},
        "director": {"en": ("Director of Operations", "Operations Director", "Plant Director"),
                     "de": ("Leiter Operations", "Werksleiter", "Betriebsleiter"),
                     "fr": ("Directeur des opérations", "Directeur d'usine")},
        "manager": {"en": ("Operations Manager", "Production Planning Manager", "Supply Chain Manager"),
                    "de": ("Leiter Produktionsplanung",), "fr": ("Responsable des opérations",)},
        "senior": {"en": ("Senior Operations Analyst", "Senior Production Planner")},
        "individual": {"en": ("Operations Analyst", "Production Planner", "Supply Chain Analyst"),
                       "de": ("Produktionsplaner",), "fr": ("Planificateur de production",)},
    },
    "manufacturing": {
        "c_level": {"en": ("Chief Manufacturing Officer",)},
        "vp": {"en": ("VP Manufacturing", "Vice President of Manufacturing")},
        "director": {"en": ("Director of Manufacturing", "Head of Production"),
                     "de": ("Leiter Produktion", "Leiter Fertigung", "Produktionsleiter"),
                     "fr": ("Directeur de production",)},
        "manager": {"en": ("Production Manager", "Manufacturing Engineering Manager", "Maintenance Manager"),
                    "de": ("Fertigungsleiter", "Schichtleiter", "Instandhaltungsleiter"),
                    "fr": ("Responsable de production", "Responsable maintenance")},
        "senior": {"en": ("Senior Manufacturing Engineer", "Senior Equipment Engineer"),
                   "de": ("Senior Fertigungsingenieur",)},
        "individual": {"en": ("Manufacturing Engineer", "Production Engineer", "Equipment Engineer",
                              "Maintenance Technician"),
                       "de": ("Fertigungsingenieur", "Instandhaltungstechniker", "Verfahrensingenieur"),
                       "fr": ("Ingénieur de production", "Ingénieur méthodes", "Technicien de maintenance")},
    },
    "quality": {
        "c_level": {"en": ("Chief Quality Officer",)},
        "vp": {"en": ("VP Quality", "Vice President of Quality")},
        "director": {"en": ("Director of Quality", "Head of Quality"),
                     "de": ("Leiter Qualitätssicherung", "Leiter Qualitätsmanagement"),
                     "fr": ("Directeur qualité",)},
        "manager": {"en": ("Quality Manager", "Quality Assurance Manager"), "de": ("Qualitätsmanager",),
                    "fr": ("Responsable qualité",)},
        "senior": {"en": ("Senior Quality Engineer", "Senior Reliability Engineer"),
                   "de": ("Senior Qualitätsingenieur",)},
        "individual": {"en": ("Quality Engineer", "Reliability Engineer", "Failure Analysis Engineer",
                              "Metrology Engineer"),
                       "de": ("Qualitätsingenieur", "Prüfingenieur", "Prüfingenieurin"),
                       "fr": ("Ingénieur qualité", "Ingénieure qualité", "Ingénieur essais")},
    },
    "procurement": {
        "c_level": {"en": ("Chief Procurement Officer",)},
        "vp": {"en": ("VP Procurement", "VP Global Sourcing")},
        "director": {"en": ("Director of Procurement", "Head of Purchasing"),
                     "de": ("Einkaufsleiter", "Leiter Einkauf"), "fr": ("Directeur des achats",)},
        "manager": {"en": ("Procurement Manager", "Purchasing Manager", "Strategic Sourcing Manager"),
                    "de": ("Teamleiter Einkauf",), "fr": ("Responsable achats",)},
        "senior": {"en": ("Senior Buyer", "Senior Commodity Buyer"), "de": ("Strategischer Einkäufer",),
                   "fr": ("Acheteur projet senior",)},
        "individual": {"en": ("Buyer", "Purchasing Agent", "Procurement Specialist"),
                       "de": ("Einkäufer", "Einkäuferin"), "fr": ("Acheteur", "Acheteuse")},
    },
    "finance": {
        "c_level": {"en": ("Chief Financial Officer", "CFO"),
                    "de": ("Kaufmännischer Geschäftsführer", "Finanzvorstand"),
                    "fr": ("Directeur administratif et financier",)},
        "vp": {"en": ("VP Finance", "Vice President of Finance")},
        "director": {"en": ("Finance Director", "Director of Finance", "Head of Controlling"),
                     "de": ("Leiter Finanzen", "Leiter Controlling"), "fr": ("Directeur financier",)},
        "manager": {"en": ("Finance Manager", "Controlling Manager"), "de": ("Teamleiter Controlling",),
                    "fr": ("Responsable contrôle de gestion",)},
        "senior": {"en": ("Senior Financial Analyst", "Senior Controller")},
        "individual": {"en": ("Financial Analyst", "Controller"), "de": ("Controller", "Controllerin"),
                       "fr": ("Contrôleur de gestion",)},
    },
    "it": {
        "c_level": {"en": ("Chief Information Officer", "CIO")},
        "vp": {"en": ("VP IT", "VP Information Technology")},
        "director": {"en": ("IT Director", "Director of IT"), "de": ("IT-Leiter", "Leiter IT"),
                     "fr": ("Directeur des systèmes d'information",)},
        "manager": {"en": ("IT Manager", "Infrastructure Manager", "MES Manager"),
                    "fr": ("Responsable informatique",)},
        "senior": {"en": ("Senior Systems Engineer", "Senior MES Engineer")},
        "individual": {"en": ("Systems Administrator", "IT Specialist", "MES Engineer"),
                       "de": ("Systemadministrator",), "fr": ("Administrateur systèmes",)},
    },
    "executive": {
        "c_level": {"en": ("Chief Executive Officer", "CEO", "Managing Director", "President"),
                    "de": ("Geschäftsführer", "Geschäftsführerin", "Vorstandsvorsitzender"),
                    "fr": ("Président-directeur général", "Directeur général")},
        "vp": {"en": ("Executive Vice President", "VP Strategy")},
        "director": {"en": ("Director of Strategy", "Chief of Staff")},
        "manager": {"en": ("Business Excellence Manager",)},
        "senior": {"en": ("Senior Strategy Analyst",)},
        "individual": {"en": ("Strategy Analyst",)},
    },
    "marketing": {
        "c_level": {"en": ("Chief Marketing Officer",)},
        "vp": {"en": ("VP Marketing",)},
        "director": {"en": ("Marketing Director", "Director of Product Marketing"),
                     "de": ("Marketingleiter",), "fr": ("Directeur marketing",)},
        "manager": {"en": ("Marketing Manager", "Product Marketing Manager"), "fr": ("Responsable marketing",)},
        "senior": {"en": ("Senior Marketing Specialist",)},
        "individual": {"en": ("Marketing Specialist", "Marketing Coordinator")},
    },
    "sales": {
        "c_level": {"en": ("Chief Commercial Officer", "Chief Revenue Officer")},
        "vp": {"en": ("VP Sales", "Vice President of Sales")},
        "director": {"en": ("Sales Director", "Director of Business Development"),
                     "de": ("Vertriebsleiter",), "fr": ("Directeur commercial",)},
        "manager": {"en": ("Sales Manager", "Regional Sales Manager"), "de": ("Teamleiter Vertrieb",),
                    "fr": ("Responsable commercial",)},
        "senior": {"en": ("Key Account Manager", "Senior Account Executive")},
        "individual": {"en": ("Account Executive", "Inside Sales Representative", "Sales Engineer"),
                       "de": ("Vertriebsingenieur",), "fr": ("Ingénieur commercial",)},
    },
    "legal": {
        "c_level": {"en": ("Chief Legal Officer",)},
        "vp": {"en": ("General Counsel", "VP Legal")},
        "director": {"en": ("Director of Legal", "Head of Legal"), "de": ("Leiter Recht",),
                     "fr": ("Directeur juridique",)},
        "manager": {"en": ("Legal Manager", "Contracts Manager")},
        "senior": {"en": ("Senior Legal Counsel",)},
        "individual": {"en": ("Legal Counsel", "Contract Specialist"), "de": ("Syndikusanwalt", "Juristin"),
                       "fr": ("Juriste",)},
    },
}

# Engineers by industry: senior and individual titles.
ENGINEER_TITLES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "industrial_automation": {
        "senior": {"en": ("Senior Automation Engineer", "Senior Controls Engineer", "Lead Process Engineer",
                          "Principal Engineer"),
                   "de": ("Senior Automatisierungsingenieur",), "fr": ("Ingénieur automatisme senior",)},
        "individual": {"en": ("Automation Engineer", "Controls Engineer", "Process Engineer",
                              "Robotics Engineer", "Commissioning Engineer", "Applications Engineer"),
                       "de": ("Automatisierungsingenieur", "Prozessingenieur", "Inbetriebnahmeingenieur",
                              "Prüfingenieur"),
                       "fr": ("Ingénieur automatisme", "Ingénieur procédés", "Ingénieure procédés")},
    },
    "semiconductors": {
        "senior": {"en": ("Senior Process Engineer", "Senior Test Engineer", "Senior Yield Engineer",
                          "Principal Device Engineer"),
                   "de": ("Senior Prozessingenieur",), "fr": ("Ingénieur procédés senior",)},
        "individual": {"en": ("Process Integration Engineer", "Yield Engineer", "Test Development Engineer",
                              "Product Engineer", "Device Engineer", "Lithography Engineer", "Process Engineer"),
                       "de": ("Prozessingenieur", "Prüfingenieur", "Halbleiteringenieur"),
                       "fr": ("Ingénieur procédés", "Ingénieur test")},
    },
    "microelectronics": {
        "senior": {"en": ("Senior Hardware Engineer", "Senior Test Engineer", "Lead Packaging Engineer"),
                   "de": ("Senior Hardwareentwickler",)},
        "individual": {"en": ("Hardware Engineer", "Test Engineer", "Packaging Engineer", "SMT Process Engineer",
                              "Validation Engineer", "Product Engineer"),
                       "de": ("Hardwareentwickler", "Prüfingenieur", "Elektronikingenieur"),
                       "fr": ("Ingénieur électronique", "Ingénieur test")},
    },
    "test_and_measurement": {
        "senior": {"en": ("Senior Test Engineer", "Senior RF Test Engineer", "Principal Measurement Engineer"),
                   "de": ("Senior Prüfingenieur",), "fr": ("Ingénieur essais senior",)},
        "individual": {"en": ("Test Engineer", "RF Test Engineer", "Calibration Engineer",
                              "Measurement Engineer", "Applications Engineer", "Validation Engineer"),
                       "de": ("Prüfingenieur", "Messtechnikingenieur", "Kalibrieringenieur"),
                       "fr": ("Ingénieur essais", "Ingénieur métrologie", "Ingénieur test")},
    },
    "software": {
        "senior": {"en": ("Senior Software Engineer", "Solutions Architect", "Staff Engineer"),
                   "de": ("Senior Softwareentwickler",), "fr": ("Ingénieur logiciel senior",)},
        "individual": {"en": ("Software Engineer", "DevOps Engineer", "Data Engineer",
                              "Site Reliability Engineer", "Embedded Software Engineer", "QA Engineer"),
                       "de": ("Softwareentwickler", "Softwareentwicklerin"),
                       "fr": ("Ingénieur logiciel", "Développeur")},
    },
}


def titles_for(department: str, seniority: str, industry: str, language: str) -> tuple[str, ...]:
    """Candidate titles; never empty for the departments and seniorities of catalog.py."""
    if department == "engineering" and seniority in ("senior", "individual"):
        table = ENGINEER_TITLES[industry][seniority]
    else:
        by_seniority = TITLES[department]
        table = by_seniority.get(seniority) or by_seniority["manager"]
    return table.get(language) or table["en"]
