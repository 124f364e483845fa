"""Request and response shapes of the ingest API (they are also its OpenAPI documentation).

Input is taken as given or refused with a reason, never silently changed: types are strict (no
`false` as a revenue, no `"12"` as a head count, no number as a time), numbers must be storable
exactly (finite, integers within signed 64 bits) and strings storable on both engines (no NUL byte,
no lone surrogate). The value types below are shared by the other routes' bodies and parameters.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from graphsvc.rules import RoleSource

__all__ = [
    "INT64_MAX", "INT64_MIN", "Id", "IdRef", "AccountBatch", "AccountIn", "ActivityBatch", "ActivityIn", "ActivityResult", "ContactBatch", "ContactIn",
    "ContactUpsertResult", "IsoTime", "LeadBatch", "LeadIn", "LeadMatch", "LeadResult", "RoleIn", "RolesIn",
    "StageChangeOut", "Text", "UpsertResult", "Actor", "AccountName", "Reason", "RecordId", "CypherText", "NonNegative", "Days",
    "Fraction",
]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Earlier times are typos (year 1 for 2021), and some could not even be turned back into ISO text.
EARLIEST_YEAR = 1900


def storable_text(value: str) -> str:
    """Both engines store any Unicode text but FalkorDB ends a string at NUL, and a lone surrogate
    (JSON "\\ud800") cannot be encoded as UTF-8 at all: refuse both rather than fail in the store."""
    if "\x00" in value:
        raise PydanticCustomError("nul_byte", "must not contain a NUL byte (\\u0000)")
    if not value.isascii():  # O(1): the fast path for almost every value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PydanticCustomError("lone_surrogate", "must be valid Unicode (it contains a lone surrogate)") from None
    return value


# Ids are read back as one URL path segment (`GET /v1/accounts/{id}`): no "/" (a router never
# matches it, even as %2F), no control characters, not "." or ".." (clients collapse them).
# Everything else CRMs use passes: Salesforce "0016g000003PipHAAS" (and the Data Loader's "@..."),
# HubSpot "9000000137", UUIDs, hashes, e-mail addresses, names with spaces and accents.
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f/]")


def _id(value: str) -> str:
    if not (value.isascii() and value.isprintable()):  # the rare case: only then search for the culprit
        bad = _ID_FORBIDDEN.search(value)
        if bad:
            raise PydanticCustomError("id_character", "an id must not contain the control character U+{code}: "
                                      "it could not be read back by its URL", {"code": f"{ord(bad.group()):04X}"})
        storable_text(value)
    if "/" in value:
        raise PydanticCustomError("id_character", "an id must not contain '/': it could not be read back by its URL")
    if value in (".", ".."):
        raise PydanticCustomError("id_dots", "an id cannot be '.' or '..': it could not be read back by its URL")
    return value


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|\s*[-+]?(inf|nan)", re.I)


def _iso_only(value: Any) -> Any:
    """pydantic would read 1735689600, "1735689600" and 0.5 as Unix times: a time is ISO-8601 text."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        kind = "true/false" if isinstance(value, bool) else "a number" if isinstance(value, (int, float)) else \
            f"a JSON {type(value).__name__}"
        raise PydanticCustomError("time_type", "a time is an ISO-8601 string with a timezone, not {kind}", {"kind": kind})
    # Every ISO time with a timezone has a ":" (hh:mm); no number has one: the regex runs rarely.
    if ":" not in value and _NUMBER.match(value):
        raise PydanticCustomError("time_type", "a time is an ISO-8601 string with a timezone, not a number")
    return value


def _not_too_early(value: datetime) -> datetime:
    if value.year < EARLIEST_YEAR:
        raise PydanticCustomError("time_range", "is before the year {year}", {"year": EARLIEST_YEAR})
    return value


def _exact_float(value: Any) -> Any:
    """An integer a double cannot hold exactly (beyond 2**53) would be stored rounded: refuse it."""
    if type(value) is int and abs(value) > 2**53 and (abs(value) > 1e308 or int(float(value)) != value):
        raise PydanticCustomError("inexact_number", "{value} cannot be stored exactly as a number",
                                  {"value": value if abs(value) < 10**30 else "this integer"})
    return value


Text = Annotated[str, AfterValidator(storable_text)]
# The schema states the id rule as a pattern (documentation: `_id` is what checks it, faster).
_ID_PATTERN = r"^(?!\s*$)(?!\s*\.\.?\s*$)[^/\x00-\x1f\x7f-\x9f]+$"
IdRef = Annotated[str, Field(min_length=1, max_length=200, json_schema_extra={"pattern": _ID_PATTERN}),
                  AfterValidator(_id)]
Id = Annotated[IdRef, Field(description="Caller-supplied id (e.g. the CRM id), unique per kind. Any text but '/' "
                                        "and control characters, 1-200 characters.")]
# The schema states "not before 1900" as a pattern on the year, next to `format: date-time`.
_FROM_1900 = r"^(19[0-9]{2}|[2-9][0-9]{3})-"
IsoTime = Annotated[AwareDatetime, Field(json_schema_extra={"pattern": _FROM_1900}), BeforeValidator(_iso_only),
                    AfterValidator(_not_too_early)]
# Storable text (see storable_text) with its length bounds stated in the schema.
Actor = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(storable_text)]  # who acts: a user, a job
AccountName = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(storable_text)]
Reason = Annotated[str, Field(max_length=1000), AfterValidator(storable_text)]
RecordId = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(storable_text)]  # an id given back
CypherText = Annotated[str, Field(min_length=1, max_length=100_000), AfterValidator(storable_text)]
# A finite JSON number (no bool, no string) within bounds. The bounds sit inside the type, before the
# validator, so the OpenAPI schema states them as minimum / maximum.
NonNegative = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0), BeforeValidator(_exact_float)]
Fraction = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1), BeforeValidator(_exact_float)]
Days = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=3650), BeforeValidator(_exact_float)]  # a span

# A pragmatic address check (local part, @, a dotted domain with a real TLD), about 20x faster
# than full RFC validation, which matters at 10,000 rows a batch. A domain label may hold "&":
# Salesforce accepts and keeps such addresses (b.levy@expressl&t.net in its own sample org), and
# refusing what the CRM holds would refuse the contact and every activity after it.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]{1,64}@(?:[a-z0-9&](?:[a-z0-9&-]{0,61}[a-z0-9&])?\.)+[a-z]{2,63}$",
                    re.I)


def _email(value: str) -> str:
    if not _EMAIL.match(value) or ".." in value:
        raise ValueError("value is not a valid email address")
    return storable_text(value)


EmailStr = Annotated[str, Field(max_length=320, json_schema_extra={"format": "email"}), AfterValidator(_email)]


class _Row(BaseModel):
    # allow_inf_nan=False: JSON's Infinity, NaN and 1e400 (read as inf) are refused, not stored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class AccountIn(_Row):
    id: Id
    name: AccountName
    domain: Text | None = Field(default=None, description="Web domain, e.g. acme.com; used to match emails.")
    domains: list[Text] | None = Field(default=None, description="Additional e-mail domains of its people that "
                                       "differ from its website (uog.com for uos.com); they match e-mails too, "
                                       "after every account's main domain.")
    industry: Text | None = None
    employees: Annotated[int, Field(strict=True, ge=0, le=INT64_MAX)] | None = Field(default=None,
                                                                                   description="A JSON integer.")
    annual_revenue: NonNegative | None = Field(default=None, description="A JSON number.")
    country: Text | None = Field(default=None, description="ISO 3166 alpha-2 code or name.")
    segment: Text | None = Field(default=None, description="e.g. enterprise, mid_market, smb")
    owner: Text | None = Field(default=None, description="Account owner (sales rep).")
    owner_name: Text | None = Field(default=None, description="The owner's name (an import resolves it, with the "
                                    "owner's e-mail as `owner`, from a CRM users export).")
    lifecycle_stage: Text | None = Field(default=None, description="The CRM's lifecycle stage, kept as it is "
                                         "(HubSpot: customer sets the account's stage to won on import).")
    parent_id: IdRef | None = Field(default=None, description="Parent account (SUBSIDIARY_OF).")


class RoleIn(_Row):
    role: Text = Field(description="A role of the ruleset's vocabulary, e.g. decision_maker.")
    buying_group: Text | None = Field(default=None, description="Buying group name (one per initiative, opportunity "
                                      "or product line; created if the account has none of that name); default group "
                                      "when absent. Each group has its own SQL gate.")
    source: RoleSource = "import"
    confidence: Fraction = 1.0


class ContactIn(_Row):
    id: Id
    email: EmailStr
    account_id: IdRef | None = Field(default=None, description="When absent, matched by email domain.")
    first_name: Text | None = None
    last_name: Text | None = None
    title: Text | None = None
    seniority: Text | None = None
    department: Text | None = None
    reports_to: IdRef | None = Field(default=None, description="Contact id of the manager (org chart).")
    roles: list[RoleIn] | None = None
    status: Text | None = Field(default=None, description="e.g. active (new contacts' default), opted_out, "
                                "bounced, do_not_contact; a status in the ruleset's contact_statuses disqualifies.")
    lifecycle_stage: Text | None = Field(default=None, description="The CRM's lifecycle stage (HubSpot "
                                         "lifecyclestage: subscriber, lead, marketingqualifiedlead, ...), kept as it is.")
    lead_status: Text | None = Field(default=None, description="The CRM's lead status (HubSpot hs_lead_status, "
                                     "Salesforce Lead Status), kept as it is.")


class LeadIn(_Row):
    id: Id
    email: EmailStr
    company: Text | None = None
    title: Text | None = None
    source: Text | None = Field(default=None, description="Lead source, e.g. webinar, trade_show, website.")
    lead_status: Text | None = Field(default=None, description="The CRM's lead status (Salesforce Lead Status), "
                                     "kept as it is.")
    created_at: IsoTime = Field(description="ISO-8601 with a timezone.")


class ActivityIn(_Row):
    id: Id
    contact_id: IdRef | None = None
    email: EmailStr | None = Field(default=None, description="Alternative to contact_id.")
    type: Text = Field(description="An activity type of the ruleset's vocabulary.")
    at: IsoTime = Field(description="ISO-8601 with a timezone; not in the future.")
    # Assets and campaigns are never read back by URL: their ids may be URLs ("/" allowed).
    asset: Text | None = Field(default=None, description="Asset id (whitepaper, page, webinar...).")
    campaign: Text | None = Field(default=None, description="Campaign id.")
    channel: Text | None = None

    @model_validator(mode="after")
    def _who(self) -> ActivityIn:
        if not self.contact_id and not self.email:
            raise ValueError("either contact_id or email is required")
        return self


class RoleChange(BaseModel):
    role: Text
    buying_group: Text | None = Field(default=None, description="The buying group (initiative) the role is held in, "
                                      "created if missing; default group when absent. On remove, absent = every group.")


class RolesIn(BaseModel):
    """Sales confirms or removes buying roles of one contact."""

    confirm: list[RoleChange] = Field(default_factory=list, description="Roles sales confirms (source sales, confidence 1).")
    remove: list[RoleChange] = Field(default_factory=list, description="Stored roles to remove.")
    actor: Actor


class AccountBatch(BaseModel):
    accounts: list[AccountIn]


class ContactBatch(BaseModel):
    contacts: list[ContactIn]


class LeadBatch(BaseModel):
    leads: list[LeadIn]


class ActivityBatch(BaseModel):
    activities: list[ActivityIn]


# -- responses ---------------------------------------------------------------------------------------
class UpsertResult(BaseModel):
    created: int = Field(description="Rows whose id was new.")
    updated: int = Field(description="Rows whose id existed (re-sending a batch updates nothing else).")


class StageChangeOut(BaseModel):
    account_id: str
    from_stage: str | None = Field(alias="from")
    to_stage: str = Field(alias="to")
    reason: str | None = None

    model_config = ConfigDict(populate_by_name=True)


class ContactUpsertResult(UpsertResult):
    unmatched: list[str] = Field(default_factory=list, description="Contacts with no account_id whose email domain matched no account.")
    accounts_touched: list[str] = Field(default_factory=list, description="Accounts requalified (marked for the pending drain with `requalify=later`): those of contacts given roles or updated (and their former accounts).")
    stage_changes: list[StageChangeOut] = Field(default_factory=list, description="Accounts whose stage changed when "
                                                "requalified (always empty with `requalify=later`).")
    requalification: Literal["done", "pending"] = Field(
        default="done", description="`done`: `accounts_touched` were requalified in this request; `pending` "
        "(`requalify=later`): marked in the same transaction, left to the pending drain (see the activities' answer).")
    previously_erased: list[str] = Field(default_factory=list, description="Rows (ids) whose email belonged to a "
                                         "person erased on request (GDPR Art. 17): stored as new data; check the "
                                         "person agreed again.")


class LeadMatch(BaseModel):
    id: str
    status: Literal["matched", "unmatched"]
    account_id: str | None = None
    contact_id: str | None = None
    contact_created: bool = False
    reason: str = Field(description="How it matched, or why it did not.")


class LeadResult(BaseModel):
    matched: int
    unmatched: int
    leads: list[LeadMatch]
    previously_erased: list[str] = Field(default_factory=list, description="Leads (ids) whose email belonged to a "
                                         "person erased on request (GDPR Art. 17).")


class ActivityResult(BaseModel):
    new: int = Field(description="Activities recorded by this batch.")
    duplicate: int = Field(description="Rows whose id was already recorded (left unchanged).")
    accounts_touched: list[str] = Field(description="Accounts of the contacts with new activities.")
    stage_changes: list[StageChangeOut] = Field(default_factory=list, description="Accounts whose stage changed when "
                                                "requalified (always empty with `requalify=later`).")
    requalification: Literal["done", "pending"] = Field(
        default="done", description="`done`: `accounts_touched` were requalified in this request. `pending` "
        "(`requalify=later`): they are marked, in the transaction that recorded the activities, and the service's "
        "pending drain requalifies them on its next run (every GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S); their stage changes reach "
        "the events feed and webhooks, and `GET /v1/requalification` counts what is still pending.")
