"""Request and response shapes of the ingest API (they are also its OpenAPI documentation)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

# A pragmatic address check (local part, @, a dotted domain with a real TLD), about 20x faster
# than full RFC validation, which matters at 10,000 rows a batch.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)


def _email(value: str) -> str:
    if not _EMAIL.match(value) or ".." in value:
        raise ValueError("value is not a valid email address")
    return value


EmailStr = Annotated[str, Field(max_length=320, json_schema_extra={"format": "email"}), AfterValidator(_email)]

Id = Field(min_length=1, max_length=200, description="Caller-supplied id (e.g. the CRM id), unique per kind.")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AccountIn(_Row):
    id: str = Id
    name: str = Field(min_length=1, max_length=300)
    domain: str | None = Field(default=None, description="Web domain, e.g. acme.com; used to match emails.")
    industry: str | None = None
    employees: int | None = Field(default=None, ge=0)
    annual_revenue: float | None = Field(default=None, ge=0)
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 code or name.")
    segment: str | None = Field(default=None, description="e.g. enterprise, mid_market, smb")
    owner: str | None = Field(default=None, description="Account owner (sales rep).")
    parent_id: str | None = Field(default=None, description="Parent account (SUBSIDIARY_OF).")


class RoleIn(_Row):
    role: str = Field(description="A role of the ruleset's vocabulary, e.g. decision_maker.")
    buying_group: str | None = Field(default=None, description="Buying group name; default group when absent.")
    source: Literal["sales", "import", "inferred"] = "import"
    confidence: float = Field(default=1.0, ge=0, le=1)


class ContactIn(_Row):
    id: str = Id
    email: EmailStr
    account_id: str | None = Field(default=None, description="When absent, matched by email domain.")
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    seniority: str | None = None
    department: str | None = None
    reports_to: str | None = Field(default=None, description="Contact id of the manager (org chart).")
    roles: list[RoleIn] | None = None


class LeadIn(_Row):
    id: str = Id
    email: EmailStr
    company: str | None = None
    title: str | None = None
    source: str | None = Field(default=None, description="Lead source, e.g. webinar, trade_show, website.")
    created_at: AwareDatetime = Field(description="ISO-8601 with a timezone.")


class ActivityIn(_Row):
    id: str = Id
    contact_id: str | None = None
    email: EmailStr | None = Field(default=None, description="Alternative to contact_id.")
    type: str = Field(description="An activity type of the ruleset's vocabulary.")
    at: AwareDatetime = Field(description="ISO-8601 with a timezone; not in the future.")
    asset: str | None = Field(default=None, description="Asset id (whitepaper, page, webinar...).")
    campaign: str | None = Field(default=None, description="Campaign id.")
    channel: str | None = None

    @model_validator(mode="after")
    def _who(self) -> ActivityIn:
        if not self.contact_id and not self.email:
            raise ValueError("either contact_id or email is required")
        return self


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
    accounts_touched: list[str] = Field(default_factory=list, description="Accounts requalified: those of contacts given roles or updated (and their former accounts).")
    stage_changes: list[StageChangeOut] = Field(default_factory=list, description="Accounts whose stage changed when requalified.")


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


class ActivityResult(BaseModel):
    new: int = Field(description="Activities recorded by this batch.")
    duplicate: int = Field(description="Rows whose id was already recorded (left unchanged).")
    accounts_touched: list[str] = Field(description="Accounts of the contacts with new activities.")
    stage_changes: list[StageChangeOut] = Field(default_factory=list, description="Accounts whose stage changed when requalified.")
