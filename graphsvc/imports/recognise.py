"""Recognise an export by its header: which CRM made it, what it holds, which column is which field.

Without a mapping file these are recognised:

* **HubSpot** contacts and companies exports, with the labels HubSpot writes in English, German,
  French, Spanish and Dutch portals (a portal exports in its own language);
* **Salesforce Data Loader** and **Bulk API / CumulusCI** extracts: API names in any case
  (`ACCOUNTID`, `AccountId`), Data Loader ids with their leading `@`;
* **Salesforce report** exports: `Object: Field` headers (`Account: Account Name`), which may
  hold an account and a contact per row. A report has no ids: an account's id is its name, a
  contact's its e-mail address (so re-importing it changes nothing).

Anything else takes a mapping file (`graphsvc.imports.mapping`). Canonical fields are the ingest
API's (`graphsvc.ingest.models`) plus `buying_role`, which goes through the role mapping table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

KINDS = ("users", "accounts", "contacts", "leads", "opportunities", "activities", "roles")
SOURCES = ("auto", "hubspot", "salesforce", "csv")

# Canonical fields per kind; `id` fields refer to other rows (kind in the value).
FIELDS: dict[str, tuple[str, ...]] = {
    # a CRM's users (owners): resolve account owner ids to a person (graphsvc.imports.owners)
    "users": ("id", "name", "first_name", "last_name", "email"),
    "accounts": ("id", "name", "domain", "domains", "industry", "employees", "annual_revenue", "country", "segment", "owner",
                 "parent_id", "lifecycle_stage", "customer_since"),
    "contacts": ("id", "email", "account_id", "first_name", "last_name", "title", "seniority", "department",
                 "reports_to", "buying_role", "opted_out", "bounced", "status", "lifecycle_stage", "lead_status"),
    "leads": ("id", "email", "company", "title", "source", "created_at", "lead_status"),
    "opportunities": ("id", "name", "account_id", "contact_id", "stage", "is_won", "is_closed", "amount", "currency",
                      "close_date", "source", "pipeline"),
    # HubSpot's dated engagement columns (graphsvc.imports.aggregates); id: the contact's
    # Salesforce OpportunityContactRole (graphsvc.imports.roles); keyed by the contact
    "roles": ("id", "contact_id", "opportunity_id", "role", "is_primary"),
    "activities": ("id", "first_conversion", "first_conversion_date", "recent_conversion", "recent_conversion_date",
                   "first_email_open", "last_email_open", "last_email_click", "last_seen"),
}


class NotRecognised(Exception):
    """The header matches no known export and no mapping names the file."""


@dataclass
class Part:
    """What one kind of record a file holds: column index per canonical field."""

    kind: str
    columns: dict[str, int]
    # A report holds each account once per contact: the repeats are the same account, not duplicates.
    repeated: bool = False
    # A report row may have no contact at all (an account without contacts: a ragged row); such a
    # row holds nothing of an optional part rather than a contact with every field missing.
    optional: bool = False
    # How rows become records: "rows" (one record a row), "aggregates" (HubSpot's dated engagement
    # columns, graphsvc.imports.aggregates), "tasks" (Salesforce Tasks / Events, sales_activities),
    # "roles" (Salesforce OpportunityContactRole, graphsvc.imports.roles).
    reader: str = "rows"
    # Per-field multiplier for numbers (a mapping's `scale`: revenue given in millions).
    scale: dict[str, float] = field(default_factory=dict)


    def absent(self, cells: list[str]) -> bool:
        """True when this optional part has nothing in the row (every cell of it empty or missing)."""
        # account_id is the account part's own column (the report's account name), and the id of an
        # activities part the contact's: neither says the part is there.
        shared = ("account_id", "id") if self.kind == "activities" else ("account_id",)
        own = (i for name, i in self.columns.items() if name not in shared)
        return self.optional and not any(i < len(cells) and cells[i].strip() for i in own)


@dataclass
class Recognised:
    source: str  # hubspot, salesforce, salesforce_report, mapping
    parts: list[Part]
    ignored: list[str]  # header cells no part uses (reported, so nothing is dropped silently)


def key(header: str) -> str:
    """A header cell compared loosely: case, accents, spacing, quotes and a BOM do not matter."""
    h = unicodedata.normalize("NFKD", header.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", h.strip().strip('"').lower())


def _table(rows: dict[str, Iterable[str]]) -> dict[str, str]:
    """{field: [labels]} -> {key(label): field}."""
    return {key(label): name for name, labels in rows.items() for label in labels}


# -- HubSpot -------------------------------------------------------------------------------------
# Labels of HubSpot's default properties, as its export writes them: English, German, French,
# Spanish, Dutch (in that order on each line). First label found wins (e.g. Company Domain Name
# before Website URL).
_LIFECYCLE = ["Lifecycle Stage", "Lebenszyklusphase", "Phase du cycle de vie", "Etapa del ciclo de vida",
              "Lifecyclefase"]
HUBSPOT_COMPANIES = _table({
    "id": ["Record ID", "Company ID", "Datensatz-ID", "ID de fiche", "ID de l'enregistrement", "ID de registro",
           "Record-ID"],
    "name": ["Company name", "Name", "Name des Unternehmens", "Unternehmensname", "Nom de l'entreprise",
             "Nombre de la empresa", "Bedrijfsnaam"],
    "domain": ["Company Domain Name", "Domain-Name des Unternehmens", "Nom de domaine de l'entreprise",
               "Nombre de dominio de la empresa", "Domeinnaam bedrijf", "Website URL", "Website-URL",
               "URL du site web", "URL del sitio web"],
    "domains": ["Additional Domains", "Zusatzliche Domains", "Domaines supplementaires", "Dominios adicionales",
                "Extra domeinen"],
    "industry": ["Industry", "Branche", "Secteur d'activite", "Sector", "Industrie"],
    "employees": ["Number of Employees", "Anzahl der Mitarbeiter", "Nombre d'employes", "Numero de empleados",
                  "Aantal werknemers"],
    "annual_revenue": ["Annual Revenue", "Jahresumsatz", "Jahrlicher Umsatz", "Chiffre d'affaires annuel",
                       "Ingresos anuales", "Jaarlijkse omzet"],
    "country": ["Country/Region", "Land/Region", "Pays/Region", "Pais/Region", "Land/regio"],
    "owner": ["Company owner", "Unternehmensinhaber", "Proprietaire de l'entreprise", "Propietario de la empresa",
              "Bedrijfseigenaar"],
    "parent_id": ["Parent Company ID", "ID des ubergeordneten Unternehmens", "ID de l'entreprise parente",
                  "ID de la empresa matriz", "ID van moederbedrijf"],
    "lifecycle_stage": _LIFECYCLE,
    "customer_since": ["Became a Customer Date", "Kunde geworden am", "Date a laquelle le contact est devenu client",
                       "Fecha en que se convirtio en cliente", "Klant geworden op"],
})
HUBSPOT_CONTACTS = _table({
    "id": ["Record ID", "Contact ID", "Datensatz-ID", "ID de fiche", "ID de l'enregistrement", "ID de registro",
           "Record-ID"],
    "email": ["Email", "E-Mail", "E-mail", "Adresse e-mail", "Correo", "Correo electronico", "E-mailadres"],
    "first_name": ["First Name", "Vorname", "Prenom", "Nombre", "Voornaam"],
    "last_name": ["Last Name", "Nachname", "Nom", "Apellidos", "Achternaam"],
    "title": ["Job Title", "Jobtitel", "Position", "Intitule du poste", "Cargo", "Functie"],
    "seniority": ["Seniority", "Senioritat", "Anciennete", "Antiguedad", "Senioriteit"],
    "department": ["Job function", "Jobfunktion", "Fonction", "Funcion laboral", "Functiegroep"],
    "account_id": ["Associated Company IDs", "Associated Company ID", "Company ID",
                   "Zugeordnete Unternehmens-IDs", "ID des entreprises associees", "ID de empresas asociadas",
                   "Gekoppelde bedrijfs-ID's"],
    "buying_role": ["Buying Role", "Einkaufsrolle", "Role d'achat", "Rol de compra", "Inkooprol"],
    "opted_out": ["Unsubscribed from all email", "Von allen E-Mails abgemeldet", "Desabonne de tous les e-mails",
                  "Cancelo la suscripcion de todos los correos", "Afgemeld voor alle e-mail"],
    "lifecycle_stage": _LIFECYCLE,
    "lead_status": ["Lead Status", "Lead-Status", "Statut du lead", "Estado del lead", "Leadstatus"],
    "bounced": ["Email hard bounce reason", "Grund fur Hard Bounce der E-Mail", "Motif de rejet definitif de l'e-mail",
                "Motivo de rebote permanente del correo", "Reden harde bounce e-mail"],
})
HUBSPOT_ACTIVITIES = _table({
    "first_conversion": ["First Conversion", "Erste Conversion", "Premiere conversion", "Primera conversion",
                         "Eerste conversie"],
    "first_conversion_date": ["First Conversion Date", "Datum der ersten Conversion", "Date de premiere conversion",
                              "Fecha de primera conversion", "Datum eerste conversie"],
    "recent_conversion": ["Recent Conversion", "Letzte Conversion", "Conversion recente", "Conversion reciente",
                          "Recente conversie"],
    "recent_conversion_date": ["Recent Conversion Date", "Datum der letzten Conversion", "Date de conversion recente",
                               "Fecha de conversion reciente", "Datum recente conversie"],
    "first_email_open": ["First marketing email open date"],
    "last_email_open": ["Last marketing email open date"],
    "last_email_click": ["Last marketing email click date"],
    "last_seen": ["Time Last Seen", "Zuletzt gesehen", "Derniere visite", "Ultima vez visto", "Laatst gezien"],
})
# HubSpot deals export (English labels); a deal's company is its first associated company.
HUBSPOT_DEALS = _table({
    "id": ["Record ID", "Deal ID"],
    "name": ["Deal Name"],
    "stage": ["Deal Stage"],
    "amount": ["Amount", "Amount in company currency"],
    "currency": ["Currency", "Deal currency code"],
    "close_date": ["Close Date"],
    "account_id": ["Associated Company (ID)", "Associated Company IDs", "Associated Company ID",
                   "Associated Company IDs (Primary)", "Company ID"],
    "contact_id": ["Associated Contact IDs", "Associated Contact (ID)", "Associated Contact ID"],
    "pipeline": ["Pipeline"],
})
# A HubSpot export starts with its record id column in one of these languages.
_HUBSPOT_ID = {k for k, v in HUBSPOT_CONTACTS.items() if v == "id"}

# -- Salesforce (API names: Data Loader, Bulk API, CumulusCI) -------------------------------------
SALESFORCE = {
    "accounts": _table({"id": ["Id"], "name": ["Name"], "domain": ["Website"], "industry": ["Industry"],
                        "employees": ["NumberOfEmployees"], "annual_revenue": ["AnnualRevenue"],
                        "country": ["BillingCountry", "ShippingCountry"], "owner": ["OwnerId"],
                        "parent_id": ["ParentId"]}),
    "contacts": _table({"id": ["Id"], "email": ["Email"], "account_id": ["AccountId"], "first_name": ["FirstName"],
                        "last_name": ["LastName"], "title": ["Title"], "department": ["Department"],
                        "reports_to": ["ReportsToId"], "opted_out": ["HasOptedOutOfEmail"],
                        "bounced": ["EmailBouncedDate", "EmailBouncedReason"]}),
    "leads": _table({"id": ["Id"], "email": ["Email"], "company": ["Company"], "title": ["Title"],
                     "source": ["LeadSource"], "created_at": ["CreatedDate"], "lead_status": ["Status"]}),
    "opportunities": _table({"id": ["Id"], "name": ["Name"], "account_id": ["AccountId"], "contact_id": ["ContactId"],
                             "stage": ["StageName"], "is_won": ["IsWon"], "is_closed": ["IsClosed"],
                             "amount": ["Amount"], "currency": ["CurrencyIsoCode"], "close_date": ["CloseDate"],
                             "source": ["LeadSource"]}),
    "roles": _table({"id": ["Id"], "contact_id": ["ContactId"], "opportunity_id": ["OpportunityId"],
                     "role": ["Role"], "is_primary": ["IsPrimary"]}),
    # Tasks and Events (graphsvc.imports.sales_activities)
    "activities": _table({"id": ["Id"], "contact_id": ["WhoId"], "subject": ["Subject"], "status": ["Status"],
                          "subtype": ["TaskSubtype"], "task_type": ["Type"], "completed_at": ["CompletedDateTime"],
                          "activity_at": ["ActivityDateTime"], "start_at": ["StartDateTime"],
                          "activity_date": ["ActivityDate"]}),
}
# Salesforce report exports: `Object: Field label`.
REPORT = {
    "accounts": _table({"name": ["Account Name"], "domain": ["Website"], "industry": ["Industry"],
                        "employees": ["Employees"], "annual_revenue": ["Annual Revenue"],
                        "country": ["Billing Country"], "owner": ["Account Owner"]}),
    "contacts": _table({"email": ["Email"], "first_name": ["First Name"], "last_name": ["Last Name"],
                        "title": ["Title"], "department": ["Department"]}),
}
_REPORT_HEADER = re.compile(r"^\s*(account|contact|lead)\s*:\s*(.+)$", re.I)


# HubSpot engagement exports (calls, meetings, e-mails, notes, tasks: graphsvc.imports.engagements).
ENGAGEMENT_COLUMNS = _table({
    "id": ["Record ID", "Activity ID", "Engagement ID"],
    "contact_id": ["Associated Contact IDs", "Associated Contact ID", "Associated Contact (ID)"],
    "activity_type": ["Activity type", "Engagement type"],
    "at": ["Activity date", "Timestamp", "Create date", "Created at"],
    "call_outcome": ["Call outcome"],
    "call_status": ["Call status"],
    "meeting_outcome": ["Meeting outcome"],
    "meeting_start": ["Meeting start time"],
    "email_direction": ["Email direction"],
    "subject": ["Call title", "Meeting name", "Email subject", "Task title"],
})
_TYPE_COLUMNS = ("call", "meeting", "email", "note", "task")
# The columns that say which engagement a file without an Activity type column holds.
_TYPE_LABELS = {
    "call": {"call title", "call outcome", "call status", "call direction", "call notes", "call duration"},
    "meeting": {"meeting name", "meeting outcome", "meeting start time", "meeting end time", "meeting description"},
    "email": {"email subject", "email direction", "email body", "email status"},
    "note": {"note body"},
    "task": {"task title", "task status", "task type", "task priority"},
}


def _columns(header: list[str], table: dict[str, str]) -> dict[str, int]:
    """field -> first column whose header the table knows (a field's first label wins)."""
    found: dict[str, tuple[int, int]] = {}  # field -> (rank of the label in the table, column)
    ranks = {label: i for i, label in enumerate(table)}
    for col, cell in enumerate(header):
        k = key(cell)
        name = table.get(k)
        if name is not None and (name not in found or ranks[k] < found[name][0]):
            found[name] = (ranks[k], col)
    return {name: col for name, (_, col) in found.items()}


def _ignored(header: list[str], parts: list[Part]) -> list[str]:
    used = {c for p in parts for c in p.columns.values()}
    return [h for i, h in enumerate(header) if i not in used and h]


def engagement_part(header: list[str], file_name: str) -> Part | None:
    """The activities part of a HubSpot engagement export, or None when the header is not one."""
    cols = _columns(header, ENGAGEMENT_COLUMNS)
    if "id" not in cols or "contact_id" not in cols:
        return None
    if "activity_type" not in cols and _fixed_type(header, file_name) is None:
        return None
    return Part("activities", cols, reader="engagements")


def _fixed_type(header: list[str], file_name: str) -> str | None:
    """What a file without an Activity type column holds: its columns say (`Call outcome`, `Meeting
    name`, `Email subject`, `Note body`, `Task title`), or else its name (`calls.csv`)."""
    keys = {key(h) for h in header}
    found = next((t for t in _TYPE_COLUMNS if keys & _TYPE_LABELS[t]), None)
    stem = key(file_name.rsplit("/", 1)[-1])
    return found or next((t for t in _TYPE_COLUMNS if stem.startswith(t)), None)


def hubspot(header: list[str], file_name: str = "") -> Recognised | None:
    keys = {key(h) for h in header}
    if not keys & _HUBSPOT_ID:
        return None
    contacts = _columns(header, HUBSPOT_CONTACTS)
    deals = _columns(header, HUBSPOT_DEALS)
    engagements = engagement_part(header, file_name)
    if "stage" in deals and "name" in deals:
        parts = [Part("opportunities", deals)]
    elif engagements is not None:
        parts = [engagements]
    elif "email" in contacts:
        parts = [Part("contacts", contacts)]
        events = _columns(header, HUBSPOT_ACTIVITIES)
        if events:
            parts.append(Part("activities", {**events, "id": contacts["id"]}, optional=True, reader="aggregates"))
    else:
        companies = _columns(header, HUBSPOT_COMPANIES)
        if "name" not in companies and "domain" not in companies:
            return None
        parts = [Part("accounts", companies)]
    return Recognised("hubspot", parts, _ignored(header, parts))


def salesforce(header: list[str], file_name: str = "") -> Recognised | None:
    keys = {key(h) for h in header}
    if "id" not in keys:
        return None
    stem = key(re.sub(r"\.[a-z]+$", "", file_name.rsplit("/", 1)[-1], flags=re.I))
    if stem in ("opportunitycontactrole", "opportunitycontactroles") or {"contactid", "role"} <= keys and (
            "opportunityid" in keys):
        parts = [Part("roles", _columns(header, SALESFORCE["roles"]), reader="roles")]
        return Recognised("salesforce", parts, _ignored(header, parts))
    if "stagename" in keys or stem in ("opportunity", "opportunities"):
        kind = "opportunities"
    elif stem in ("task", "tasks", "event", "events") or (
            "whoid" in keys and keys & {"tasksubtype", "activitydate", "startdatetime"}):
        parts = [Part("activities", _columns(header, SALESFORCE["activities"]), reader="tasks")]
        return Recognised("salesforce", parts, _ignored(header, parts))
    elif stem in ("account", "accounts"):
        kind = "accounts"
    elif stem in ("contact", "contacts"):
        kind = "contacts"
    elif stem in ("lead", "leads"):
        kind = "leads"
    elif "email" in keys and "company" in keys:
        kind = "leads"
    elif "email" in keys and ("accountid" in keys or "lastname" in keys):
        kind = "contacts"
    elif "name" in keys and keys & {"website", "parentid", "industry", "numberofemployees", "billingcountry"}:
        kind = "accounts"
    else:
        return None
    parts = [Part(kind, _columns(header, SALESFORCE[kind]))]
    return Recognised("salesforce", parts, _ignored(header, parts))


# A CRM's users: Salesforce User (Id, Name / FirstName + LastName, Email, Username), HubSpot owners
# (id, email, firstName, lastName, userId).
USERS = _table({"id": ["Id", "Owner ID", "User ID"], "name": ["Name", "Full Name"],
                "first_name": ["FirstName", "First Name"], "last_name": ["LastName", "Last Name"],
                "email": ["Email", "E-mail"]})


def users(header: list[str], file_name: str = "") -> Recognised | None:
    keys = {key(h) for h in header}
    stem = key(re.sub(r"\.[a-z]+$", "", file_name.rsplit("/", 1)[-1], flags=re.I))
    if not (stem in ("user", "users", "owner", "owners") or keys & {"username", "userid"}):
        return None
    cols = _columns(header, USERS)
    if "id" not in cols or not {"email", "name", "first_name", "last_name"} & cols.keys():
        return None
    parts = [Part("users", cols)]
    return Recognised("hubspot" if "userid" in keys else "salesforce", parts, _ignored(header, parts))


def salesforce_report(header: list[str]) -> Recognised | None:
    split = [_REPORT_HEADER.match(h) for h in header]
    if not any(split):
        return None
    parts: list[Part] = []
    for obj, kind in (("account", "accounts"), ("contact", "contacts")):
        table = REPORT[kind]
        cols: dict[str, int] = {}
        for i, m in enumerate(split):
            if m and m.group(1).lower() == obj:
                name = table.get(key(m.group(2)))
                if name and name not in cols:
                    cols[name] = i
        if kind == "accounts" and "name" in cols:
            cols["id"] = cols["name"]  # a report has no ids: the account name is the key
            parts.append(Part(kind, cols, repeated=True))
        elif kind == "contacts" and "email" in cols:
            cols["id"] = cols["email"]  # and the e-mail address the contact's
            account = next((p for p in parts if p.kind == "accounts"), None)
            if account:
                cols["account_id"] = account.columns["name"]
            parts.append(Part(kind, cols, optional=True))
    if not parts:
        return None
    return Recognised("salesforce_report", parts, _ignored(header, parts))


def recognise(header: list[str], file_name: str, source: str = "auto") -> Recognised:
    """The export `header` comes from (`source` narrows the choice), or NotRecognised saying why."""
    tries = {"hubspot": [lambda h: users(h, file_name), lambda h: hubspot(h, file_name)],
             "salesforce": [salesforce_report, lambda h: users(h, file_name), lambda h: salesforce(h, file_name)],
             "auto": [salesforce_report, lambda h: users(h, file_name), lambda h: hubspot(h, file_name),
                      lambda h: salesforce(h, file_name)],
             }.get(source, [])
    for attempt in tries:
        found = attempt(header)
        if found is not None:
            return found
    shown = ", ".join(repr(h) for h in header[:8]) + (", ..." if len(header) > 8 else "")
    what = "a HubSpot or Salesforce export" if source == "auto" else f"a {source} export"
    raise NotRecognised(f"not recognised as {what} (header: {shown}); give a mapping file (--mapping MAP.toml) "
                        "naming the columns")
