// The state of the engagement aggregates kept on contacts (see ingest/create_activities): the
// half-life they are kept for and whether a full build for it has finished. No row: never built.
// @column half_life_s FLOAT the half-life, in seconds, new aggregates are computed with
// @column built BOOLEAN every contact's aggregates were rebuilt from history for this half-life
MATCH (ix:EngagementIndex {id: 'engagement'})
RETURN ix.half_life_s AS half_life_s, ix.built = true AS built
