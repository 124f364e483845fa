"""The graph's vocabulary (docs/architecture.md, "Graph model"): what the Cypher linter is told exists.

Queries that name anything outside these lists fail the lint test, which is how a typo in a label
or property is caught before it silently matches nothing.
"""

LABELS = (
    "Account",
    "Contact",
    "Lead",
    "BuyingGroup",
    "Activity",
    "Asset",
    "Campaign",
    "StageChange",
    "ApiKey",
    "Ruleset",
    "EngagementIndex",  # one node: the half-life the contacts' engagement aggregates are kept for
    "Event",  # the outbox: written in the same statement as the change it describes
    "EventSeq",  # one node: the counter Event.seq comes from
    "AccountSeq",  # one node: the counter Account.seq (the board's tie-breaker) comes from
    "RoutingTurns",  # one node: the round-robin turn of each routing team (issue 12)
    "Webhook",  # a receiver of events (its secret is not in the graph)
    "Delivery",  # one event to one webhook: the delivery log and retry state
    "Alias",  # a merged record's id or email, pointing at its survivor (issue 15)
    "Merge",  # a merge as it happened: who merged which ids into the survivor, when, why
    "Erasure",  # a contact erased on request: a salted hash of its email, when, by whom
    "ErasureKey",  # one node: the salt of the erased emails' hashes
    "Opportunity",  # a CRM deal (imported): stage, won / closed, amount, close date
    "ScoreModel",  # one node: the rules lab's predictive score model (graphsvc/lab/predict.py), as JSON
    "RulesetActivation",  # PUT /v1/rules applying a ruleset: status, progress, outcome (qualification/activations.py)
    "ActivationLock",  # one node: locked to begin an activation, so one runs at a time
)

RELATIONSHIP_TYPES = (
    "WORKS_AT",
    "REPORTS_TO",
    "MATCHED_TO",
    "HAS_BUYING_GROUP",
    "MEMBER_OF",
    "PERFORMED",
    "ON",
    "PART_OF",
    "TRANSITIONED",
    "SUBSIDIARY_OF",
    "ALIAS_OF",
    "MERGED",
    "HAS_OPPORTUNITY",
    "ON_OPPORTUNITY",
)

PROPERTY_KEYS = (
    # Account
    "id", "name", "domain", "domains", "industry", "employees", "annual_revenue", "country", "segment",
    "owner", "stage", "stage_since", "fit", "engagement", "mqa_score", "qualified_at",
    "updated_at", "created_at", "missing_roles", "ruleset",
    "requalify_pending",  # token of the write whose requalification has not run yet
    "requalify_at",  # issue 10: when decay can next change the account's outcome (epoch s; null: never)
    "qualified_until",  # issue 10: requalify_at of an outcome whose stage's bar passes: the hold's reference
    "sla_reminded", "sla_breached",  # the stage_since an SLA reminder / breach event was written for
    "fit_key", "since_key", "name_key",  # issue 10 (with "seq", below): the board's sort keys (graphsvc/store/sort_keys.py)
    "lock_",  # set and removed at once: takes a Neo4j write lock before a read-then-write
    # Contact
    "email", "first_name", "last_name", "title", "seniority", "department", "status",
    # Contact engagement aggregates, parallel lists per activity type (ingest/create_activities)
    "eng_types", "eng_counts", "eng_last", "eng_weights", "eng_half_life",
    # EngagementIndex
    "half_life_s", "built",
    # Lead
    "company", "source", "match_status", "match_reason",
    # MEMBER_OF
    "role", "confidence", "at",
    # Activity / Asset / Campaign
    "type", "channel", "points", "kind", "batch",
    # StageChange
    "from", "to", "actor", "reason", "action",
    # Ruleset
    "version", "toml", "active", "activated_at",
    # Event (the outbox) and EventSeq (its counter)
    "seq", "payload", "account", "change", "removed",
    # RoutingTurns: team names and their next turn, parallel lists (qualification/record_outcomes)
    "teams", "turns",
    # RulesetActivation: progress, heartbeat and outcome (result, error: JSON text)
    "phase", "contacts_done", "accounts_done", "started_at", "finished_at", "result", "error",
    # Webhook and Delivery
    "url", "types", "format", "max_attempts", "cursor", "webhook", "attempts", "next_at", "last_status",
    "last_error", "last_attempt_at", "delivered_at",
    # ApiKey
    "hash", "roles", "label",
    # Alias / Merge / Erasure / ErasureKey (issue 15); StageChange.merged_from: moved by an account merge
    "key", "merged", "merged_from", "survivor", "email_hash", "salt", "erased_at",
    # BuyingGroup.created_by (made through the API) and StageChange.group (the group a rules change
    # went by): buying groups per initiative (issue 15); BuyingGroup.kind reuses "kind"
    "created_by", "group",
    # BuyingGroup: BANT as sales recorded it, parallel lists in B-A-N-T order (qualification/bant_set)
    "bant_met", "bant_by", "bant_at", "bant_notes",
    # Opportunity (its stage is the CRM's stage name)
    "amount", "currency", "close_date", "is_won", "is_closed",
    "pipeline",
    # CRM state an import keeps (issue 11): Account owner's name, Contact / Lead lifecycle and lead status
    "owner_name", "lifecycle_stage", "lead_status",
    # ScoreModel
    "json", "fitted_at", "outcomes",
)

# Which (from)-[type]->(to) triples exist, for the linter's schema-path warnings.
GRAPH_SCHEMA = (
    ("Contact", "WORKS_AT", "Account"),
    ("Contact", "REPORTS_TO", "Contact"),
    ("Lead", "MATCHED_TO", "Contact"),
    ("Account", "HAS_BUYING_GROUP", "BuyingGroup"),
    ("Contact", "MEMBER_OF", "BuyingGroup"),
    ("Contact", "PERFORMED", "Activity"),
    ("Activity", "ON", "Asset"),
    ("Activity", "PART_OF", "Campaign"),
    ("Account", "TRANSITIONED", "StageChange"),
    ("Account", "SUBSIDIARY_OF", "Account"),
    ("Alias", "ALIAS_OF", "Contact"),
    ("Alias", "ALIAS_OF", "Account"),
    ("Contact", "MERGED", "Merge"),
    ("Account", "MERGED", "Merge"),
    ("Account", "HAS_OPPORTUNITY", "Opportunity"),
    ("Contact", "ON_OPPORTUNITY", "Opportunity"),
)
