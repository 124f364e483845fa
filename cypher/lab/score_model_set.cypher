// Replace the predictive score model (graphsvc rules fit-score): one node, written whole.
// @param json STRING the model
// @param fitted_at FLOAT epoch seconds
// @param outcomes INTEGER won and lost accounts it was fitted on
// @column fitted_at FLOAT
MERGE (m:ScoreModel {id: 'score'})
SET m.json = $json, m.fitted_at = $fitted_at, m.outcomes = $outcomes
RETURN m.fitted_at AS fitted_at
