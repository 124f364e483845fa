// Start (built = false) or finish (built = true) a rebuild of the engagement aggregates for a
// half-life. Finishing only marks the index built if nobody started a rebuild for another
// half-life in between.
// @param half_life_s FLOAT the half-life in seconds
// @param built BOOLEAN false: a rebuild starts (from now on new aggregates use this half-life); true: it finished
// @column built BOOLEAN whether the index is now built for this half-life
MERGE (ix:EngagementIndex {id: 'engagement'})
SET ix.built = CASE WHEN $built AND ix.half_life_s <> $half_life_s THEN ix.built ELSE $built END
SET ix.half_life_s = CASE WHEN $built THEN ix.half_life_s ELSE $half_life_s END
RETURN ix.built = true AND ix.half_life_s = $half_life_s AS built
