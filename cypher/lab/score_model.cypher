// The predictive score model (graphsvc/lab/predict.py), kept as JSON in one node so every worker and
// replica shows the same score. No row: no model fitted yet.
// @column json STRING the model
// @column fitted_at FLOAT epoch seconds
// @column outcomes INTEGER won and lost accounts it was fitted on
MATCH (m:ScoreModel {id: 'score'})
RETURN m.json AS json, m.fitted_at AS fitted_at, m.outcomes AS outcomes
