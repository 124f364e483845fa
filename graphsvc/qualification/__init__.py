"""Qualification: the active ruleset, requalification (on writes, pending, periodic), readiness, the
buying-center view, the board and sales transitions, over the store and the pure rules engine."""
