"""The one next step for an account, with why: what a person should do now.

Actions: `none` (final stage), `disqualify` (the account's own domain is a disqualifier),
`act_on_sql` (SLA sla.sql_hours), `find_<role>` (a required role is missing: names the best
candidates), `book_discovery` (buying center covered, intent missing; or just accepted),
`advance_opportunity`, `record_bant` (an MQA ready but for BANT the ruleset requires), `sdr_follow_up`
(contact MQLs on an account that is not yet MQA),
`nurture_content` (nothing to act on yet, or recycled).
"""

from __future__ import annotations

from .contacts import ContactEval
from .result import BuyingCenter, Candidate, Gate, NextAction
from .ruleset import Ruleset
from .sla import due_at
from .vocabulary import FINAL_STAGES

HOUR = 3600.0


def _who(c: Candidate) -> str:
    label = c.name or c.contact_id
    if c.title:
        label += f" ({c.title})"
    return label


def _find_role(bc: BuyingCenter, role: str, due_at: float | None) -> NextAction:
    cands = bc.candidates.get(role, ())
    if not cands:
        why = f"{role} is required and no known contact holds it: find and add one."
    else:
        best = cands[0]
        why = f"{role} is not covered. Best candidate: {_who(best)}, {best.source} {best.confidence:g}: {best.note}"
        if best.intro_path and len(best.intro_path) > 1:
            why += f"; introduction path {' -> '.join(best.intro_path)}"
        if len(cands) > 1:
            why += f". Other candidates: {', '.join(_who(c) for c in cands[1:4])}"
        why += "."
    others = [r for r in bc.missing if r != role]
    if others:
        why += f" Also missing: {', '.join(others)}."
    return NextAction(f"find_{role}", why, due_at)


def next_action(
    stage: str,
    *,
    changed: bool,
    stage_since: float | None,
    account_disqualifier: str | None,
    mqa: Gate,
    sql: Gate,
    buying_center: BuyingCenter,
    evals: list[ContactEval],
    ruleset: Ruleset,
    as_of: float,
) -> NextAction:
    # SLAs run from when the account entered the stage (now, if it just did).
    entered = as_of if changed or stage_since is None else stage_since

    if stage in FINAL_STAGES:
        return NextAction("none", f"The account is {stage}: nothing to do.")
    if account_disqualifier:
        return NextAction(
            "disqualify", f"The account's domain is a {account_disqualifier.replace('_', '-')} domain: disqualify it."
        )
    bc = buying_center
    if stage == "sql":
        due = due_at(entered, ruleset.sla.sql_hours, ruleset.sla)
        return NextAction(
            "act_on_sql",
            f"SQL: intent and a covered buying center. Accept or reject within {ruleset.sla.sql_hours:g} hours.",
            due,
        )
    if stage in ("accepted", "opportunity"):
        if bc.missing:
            return _find_role(bc, bc.missing[0], None)
        if stage == "accepted":
            return NextAction("book_discovery", "Accepted with the buying center covered: book the discovery meeting.")
        return NextAction("advance_opportunity", "Opportunity open with the buying center covered: advance it.")
    if stage == "nurture":
        return NextAction("nurture_content", "Recycled to nurture: keep them in content programs until they engage again.")
    if stage == "mqa":
        due = due_at(entered, ruleset.sla.mqa_hours, ruleset.sla)
        if bc.missing:
            return _find_role(bc, bc.missing[0], due)
        intent = sql.check("intent")
        if not intent.passed:
            return NextAction(
                "book_discovery",
                f"MQA with the buying center covered but no intent signal: {intent.detail}. Book a discovery call.",
                due,
            )
        bant = [c for c in sql.checks if c.name.startswith("bant:") and not c.passed]
        if bant:
            return NextAction(
                "record_bant",
                "MQA with intent and the buying center covered; the SQL gate needs sales to confirm "
                + "; ".join(c.detail for c in bant) + ".",
                due,
            )
        return NextAction("sdr_follow_up", "MQA: follow up with the engaged contacts.", due)
    mqls = [e for e in evals if e.mql]
    if mqls:
        names = ", ".join(e.name or e.contact.id for e in mqls[:3])
        failing = "; ".join(f"{c.name}: {c.detail}" for c in mqa.checks if not c.passed)
        return NextAction(
            "sdr_follow_up",
            f"{len(mqls)} contact MQL{'s' * (len(mqls) != 1)} ({names}) but the account is not an MQA ({failing}):"
            " follow up and widen the engagement to their colleagues.",
        )
    if stage == "engaged":
        return NextAction("nurture_content", "Engaged, below the MQA bar and no MQL contact: keep nurturing with content.")
    return NextAction("nurture_content", "No engagement yet: include the account in content and ad programs.")
