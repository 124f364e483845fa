// The newest event's seq (0 when there is none): where a reader that wants only new events starts.
// @column seq INTEGER
OPTIONAL MATCH (q:EventSeq {id: 'events'})
RETURN coalesce(q.seq, 0) AS seq
