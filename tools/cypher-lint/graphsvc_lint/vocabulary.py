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
    "ScoreModel",  # one node: the rules lab's predictive score model (graphsvc/lab/predict.py), as JSON
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
)

PROPERTY_KEYS = (
    # Account
    "id", "name", "domain", "industry", "employees", "annual_revenue", "country", "segment",
    "owner", "stage", "stage_since", "fit", "engagement", "mqa_score", "qualified_at",
    "updated_at", "created_at", "missing_roles", "ruleset",
    "requalify_pending",  # token of the write whose requalification has not run yet
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
    # ApiKey
    "hash", "roles", "label",
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
)
