"""The rules lab: simulate a candidate ruleset before it goes live, explain what changed between two
rulesets, and (as it lands) backtest and calibrate them against outcomes. Read-only over the graph."""
