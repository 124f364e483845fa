"""The qualification engine: `evaluate(snapshot, ruleset, as_of) -> Qualification`. Pure.

No I/O and no clock: everything comes from the snapshot, the ruleset and `as_of` (epoch seconds),
so any past moment can be replayed and the same function powers what-if simulation.

Stages (docs/architecture.md, "Stages"):
* `target -> engaged -> mqa -> sql` are the engine's. The computed stage is the highest whose bar
  passes now. It is taken at once when higher than the current one; when lower, only after the
  current stage has failed for `stages.hold_days`, measured from max(qualified_at, stage_since):
  decay must not make an account flap. Until then the stage is kept and `held` is true.
* `accepted, opportunity, won, lost, disqualified` are people's: never overridden (checks are
  still computed and returned).
* `nurture` (rejected or recycled) re-enters the automatic stages only when some contact did
  something worth points after `stage_since`, and only into `engaged` or higher.
"""

from __future__ import annotations

import heapq
from dataclasses import replace

from .bant import bant_checks
from .buying_center import buying_center
from .contacts import ContactEval, evaluate_contact
from .decay import next_change
from .domains import domain_disqualifier
from .fit import account_fit
from .groups import chosen, group_result, group_views, hierarchy_contacts, rolled_up, where
from .next_action import next_action
from .result import (
    BuyingCenter,
    Check,
    ContactResult,
    ContactRole,
    Gate,
    Qualification,
    Scores,
    TopActivity,
    TopContact,
)
from .ruleset import Ruleset
from .snapshot import SECONDS_PER_DAY, AccountSnapshot
from .vocabulary import AUTOMATIC_STAGES, MANUAL_STAGES

_RANK = {s: i for i, s in enumerate(AUTOMATIC_STAGES)}
TOP_N = 5


def _days(seconds: float) -> float:
    return round(seconds / SECONDS_PER_DAY, 1)


def _failing(gate: Gate) -> str:
    return "; ".join(f"{c.name}: {c.detail}" for c in gate.checks if not c.passed)


def _mqa_gate(
    snapshot: AccountSnapshot, active: list[ContactEval], fit: float, fit_detail: str, dq: str | None,
    mqa_score: float, ruleset: Ruleset,
) -> Gate:
    m = ruleset.mqa
    engaged = [e for e in active if e.engagement >= m.engaged_contact_min]
    checks = (
        Check(
            "account_domain", dq is None, snapshot.domain, "not a competitor, student or free-mail domain",
            f"{snapshot.domain} is a {dq.replace('_', '-')} domain" if dq else f"{snapshot.domain or 'no domain'} is fine",
        ),
        Check("account_fit", fit >= m.min_fit, fit, m.min_fit, f"fit {fit:g} ({fit_detail}); bar {m.min_fit:g}"),
        Check(
            "engaged_contacts", len(engaged) >= m.min_engaged_contacts, len(engaged), m.min_engaged_contacts,
            f"{len(engaged)} contact(s) with engagement >= {m.engaged_contact_min:g}"
            + (f" ({', '.join(where(e, 'subsidiary') for e in engaged[:5])})" if engaged else "")
            + f"; need {m.min_engaged_contacts}",
        ),
        Check(
            "mqa_score", mqa_score >= m.min_score, mqa_score, m.min_score,
            f"sum of contact engagement capped at {m.per_contact_cap:g} each = {mqa_score:g}; bar {m.min_score:g}",
        ),
    )
    return Gate(all(c.passed for c in checks), checks)


def _sql_gate(mqa: Gate, active: list[ContactEval], bc: BuyingCenter, ruleset: Ruleset, as_of: float,
              snapshot: AccountSnapshot, group: str = "default", kind: str | None = None) -> Gate:
    """One buying group's SQL gate; `active`: the contacts whose intent counts for it."""
    s = ruleset.sql
    checks = [Check("mqa", mqa.passed, mqa.passed, True, "account is an MQA" if mqa.passed else f"not an MQA: {_failing(mqa)}")]

    intents = [(e.latest_intent[1], e.latest_intent[0], e.contact.id) for e in active if e.latest_intent]
    if intents:
        at, signal, who = max(intents)
        # Compared at the precision shown (0.01 day, ~15 minutes) so the value explains the verdict.
        age = round((as_of - at) / SECONDS_PER_DAY, 2)
        ok = age <= s.intent_window_days
        detail = f"latest intent {signal} by {who} {age:g} days ago; window {s.intent_window_days:g} days"
        checks.append(Check("intent", ok, age, s.intent_window_days, detail))
    else:
        checks.append(Check("intent", False, None, s.intent_window_days, "no intent signal on record"
                            + ("" if group == "default" else f" from a member of buying group {group}")))

    sources = ", ".join(f"{src} >= {bar:g}" for src, bar in s.role_sources.items())
    bar = f"role source counts ({sources}) and engaged within {s.role_engagement_days:g} days"
    for role in bc.required:
        cov = bc.covered.get(role, ())
        if cov:
            detail = f"{role} covered by " + ", ".join(
                f"{c.contact_id} ({c.source} {c.confidence:g}{_at_parent(c.account_id, c.account_name)})"
                for c in cov[:3])
        elif role in bc.unengaged:
            detail = f"{role} known but not engaged in the last {s.role_engagement_days:g} days"
        else:
            n = len(bc.candidates.get(role, ()))
            detail = f"no contact counts as {role}" + (f"; {n} candidate(s)" if n else "; no candidates")
        checks.append(Check(f"role:{role}", bool(cov), [c.contact_id for c in cov], bar, detail))
    checks.extend(bant_checks(snapshot, ruleset, as_of, group, kind))  # none unless the ruleset requires BANT
    return Gate(all(c.passed for c in checks), tuple(checks))


def _at_parent(account_id: str | None, name: str | None) -> str:
    if account_id is None:
        return ""
    return f", at parent {account_id}" + (f" {name}" if name else "")


def _top_activities(active: list[ContactEval], ruleset: Ruleset) -> tuple[TopActivity, ...]:
    """Top contributions: the per-(contact, type) stats with the most decayed points."""
    points = ruleset.activities.points
    # (sort key, fields) tuples; only the TOP_N winners become objects.
    rows: list[tuple[tuple[float, float, str], tuple[str, str, float, int, float]]] = []
    for e in active:
        for st in e.contact.stats:
            p = points.get(st.type, 0.0) * st.decay_weight
            if p > 0:
                rows.append(((-p, -st.last_at, e.contact.id), (e.contact.id, st.type, st.last_at, st.count, p)))
    best = heapq.nsmallest(TOP_N, rows, key=lambda r: r[0])
    return tuple(TopActivity(contact_id, type_, at, count, round(p, 2))
                 for _, (contact_id, type_, at, count, p) in best)


def _stage_basis(stage: str, mqa: Gate, sql: Gate, engagement: float, ruleset: Ruleset, dq: str | None,
                 group: str = "default") -> str:
    """Why the computed stage is what it is, in a phrase (an SQL names its buying group unless default)."""
    if stage == "sql":
        bant = [c.name[5:] for c in sql.checks if c.name.startswith("bant:")]
        return ((f"buying group {group}: " if group != "default" else "") + f"{sql.check('intent').detail}; required roles covered ({', '.join(c.name[5:] for c in sql.checks if c.name.startswith('role:'))})"
                + (f"; BANT confirmed ({', '.join(bant)})" if bant else ""))
    if stage == "mqa":
        return f"MQA score {mqa.check('mqa_score').value:g}, {mqa.check('engaged_contacts').value} engaged contacts, fit {mqa.check('account_fit').value:g}"
    if stage == "engaged":
        return f"engagement {engagement:g} >= {ruleset.stages.engaged_min_engagement:g}"
    if dq:
        return f"the account's domain is a {dq.replace('_', '-')} domain"
    return f"engagement {engagement:g} below {ruleset.stages.engaged_min_engagement:g}"


def _next_bar(stage: str, mqa: Gate, sql: Gate) -> str:
    if stage == "mqa":
        return f" Not SQL: {_failing(sql)}."
    if stage in ("engaged", "target"):
        return f" Not MQA: {_failing(mqa)}."
    return ""


def known_until(snapshot: AccountSnapshot, ruleset: Ruleset) -> float | None:
    """qualified_until, if the ruleset that found the bar passing until then is this one (or unknown)."""
    same = snapshot.qualified_by is None or snapshot.qualified_by == ruleset.version
    return snapshot.qualified_until if same else None


def hold_ref(snapshot: AccountSnapshot, as_of: float, ruleset: Ruleset) -> float | None:
    """The last moment the stage's bar is known to have passed: the later of qualified_at,
    stage_since and (issue 10) qualified_until, the time until which the last evaluation (under this
    ruleset) found it passing with nothing due to change (no later than as_of). The hold counts from it."""
    until = known_until(snapshot, ruleset)
    refs = [t for t in (snapshot.qualified_at, snapshot.stage_since, None if until is None else min(until, as_of))
            if t is not None]
    return max(refs) if refs else None


def _decide_stage(
    snapshot: AccountSnapshot, computed: str, basis: str, mqa: Gate, sql: Gate, active: list[ContactEval],
    dq: str | None, ruleset: Ruleset, as_of: float,
) -> tuple[str, bool, float | None, str]:
    """(stage, held, qualified_at, reason) from the current stage and the computed one."""
    previous = snapshot.stage
    if previous in AUTOMATIC_STAGES:
        if _RANK[computed] >= _RANK[previous]:  # up (or the same) at once
            verdict = f"Promoted {previous} -> {computed}" if computed != previous else f"Stays {computed}"
            return computed, False, as_of, f"{verdict}: {basis}." + _next_bar(computed, mqa, sql)
        ref = hold_ref(snapshot, as_of, ruleset)
        hold = ruleset.stages.hold_days * SECONDS_PER_DAY
        failing_for = as_of - ref if ref is not None else None
        now_failing = _failing(sql) if previous == "sql" else (_failing(mqa) if previous == "mqa" else basis)
        # The hold absorbs decay; a disqualifying domain is configuration, not decay: no hold.
        if failing_for is not None and failing_for < hold and not dq:
            # qualified_at keeps the last moment the bar is known to have passed, qualified_until
            # folded in (issue 10), so the next evaluation measures the hold from the same point.
            until = known_until(snapshot, ruleset)
            kept = snapshot.qualified_at if until is None else max(snapshot.qualified_at or until, min(until, as_of))
            return previous, True, kept, (
                f"Held at {previous}: failing now ({now_failing}) for {_days(failing_for):g} of the"
                f" {ruleset.stages.hold_days:g} hold days; drops to {computed} in {_days(hold - failing_for):g}"
                " days unless it qualifies again."
            )
        failing = f"for {_days(failing_for):g} days" if failing_for is not None else "with no record of passing"
        return computed, False, as_of, (
            f"Dropped {previous} -> {computed} after failing {failing} (hold {ruleset.stages.hold_days:g} days):"
            f" {now_failing}."
        )
    if previous == "nurture":
        since = snapshot.stage_since
        later = [
            e.last_positive_at for e in active
            if since is not None and e.last_positive_at is not None and e.last_positive_at > since
        ]
        if later and since is not None and computed != "target":
            return computed, False, as_of, (
                f"Re-entered {computed} from nurture: new engagement {_days(max(later) - since):g} days after the"
                f" recycle; {basis}."
            )
        why = "no engagement since it was recycled" if not later else f"new engagement is not enough: {basis}"
        return "nurture", False, snapshot.qualified_at, f"Stays nurture: {why}."
    if previous in MANUAL_STAGES:
        return previous, False, snapshot.qualified_at, (
            f"Stage {previous} is set by people and is never overridden by the rules (rules would say {computed})."
        )
    return previous, False, snapshot.qualified_at, f"Unknown stage {previous!r} left unchanged (rules would say {computed})."


def _inherited(snapshot: AccountSnapshot, ruleset: Ruleset, as_of: float) -> list[ContactEval]:
    """Parent accounts' contacts, each keeping only the roles `hierarchy.parent_roles` lets them
    cover here, and only roles recorded on them (an inferred role is dropped). They take part in the
    buying center alone: engagement, MQA and intent stay the account's own (no double counting)."""
    allowed = set(ruleset.hierarchy.parent_roles)
    if not allowed:
        return []
    out = []
    for c in snapshot.inherited:
        e = evaluate_contact(c, ruleset, as_of)
        roles = {r: er for r, er in e.roles.items() if r in allowed and er.source != "inferred"}
        if roles:
            out.append(replace(e, roles=roles))
    return out


def evaluate(snapshot: AccountSnapshot, ruleset: Ruleset, as_of: float, *, explain: bool = True) -> Qualification:
    """Qualify one account at `as_of` (epoch seconds) under `ruleset`.

    `explain=False` is for the store's writes (the full pass, ingest's and the due pass's
    requalifications), which keep the decision, not the account's page: `contacts`, `top_contacts`
    and `top_activities` come back empty and `explained` False, about a fifth of the engine's time per
    account (docs/benchmarks.md); every other field is what `explain=True` gives
    (tests/rules/test_explain.py)."""
    evals = [evaluate_contact(c, ruleset, as_of) for c in snapshot.contacts]
    active = [e for e in evals if not e.disqualified]
    fit, _parts, fit_detail = account_fit(snapshot, ruleset)
    dq = domain_disqualifier(snapshot.domain, ruleset)

    rolled = rolled_up(snapshot, ruleset, as_of)  # subsidiaries' people, only under roll_up
    counted = active + rolled
    engagement = round(sum(e.engagement for e in counted), 2)
    cap = ruleset.mqa.per_contact_cap
    mqa_score = round(sum(min(e.engagement, cap) for e in counted), 2)

    mqa = _mqa_gate(snapshot, counted, fit, fit_detail, dq, mqa_score, ruleset)
    inherited = _inherited(snapshot, ruleset, as_of)
    gates = []
    views = group_views(snapshot, evals, ruleset)
    for view in views:
        g_bc = buying_center(snapshot, view.evals + inherited, ruleset, view.info.kind)
        g_sql = _sql_gate(mqa, view.intent_from, g_bc, ruleset, as_of, snapshot, view.info.name, view.info.kind)
        gates.append((g_bc, group_result(view, g_bc, g_sql)))
    pick = chosen([g for _, g in gates])
    bc, shown = gates[pick]
    sql = shown.sql

    if dq:
        computed = "target"
    elif sql.passed:
        computed = "sql"
    elif mqa.passed:
        computed = "mqa"
    elif engagement >= ruleset.stages.engaged_min_engagement:
        computed = "engaged"
    else:
        computed = "target"
    basis = _stage_basis(computed, mqa, sql, engagement, ruleset, dq, shown.name)

    previous = snapshot.stage
    stage, held, qualified_at, reason = _decide_stage(snapshot, computed, basis, mqa, sql, active, dq, ruleset, as_of)

    changed = stage != previous
    requalify_at = next_change(
        # the contacts the MQA counts (subsidiaries' too under roll_up), and the intent of the group shown
        snapshot, stage=stage, computed=computed, held=held, hold_ref=hold_ref(snapshot, as_of, ruleset), active=counted,
        intent_from=list(views[pick].intent_from), bc=bc, disqualified_domain=dq is not None, ruleset=ruleset,
        as_of=as_of,
    )
    action = next_action(
        stage, changed=changed, stage_since=snapshot.stage_since, account_disqualifier=dq,
        mqa=mqa, sql=sql, buying_center=bc, evals=evals, ruleset=ruleset, as_of=as_of,
    )
    contacts: tuple[ContactResult, ...] = ()
    top_contacts: tuple[TopContact, ...] = ()
    top_activities: tuple[TopActivity, ...] = ()
    if explain:
        contacts = tuple(
            ContactResult(
                id=e.contact.id, name=e.name, title=e.contact.title, engagement=e.engagement, fit=e.fit, mql=e.mql,
                disqualified=e.disqualified, disqualified_reason=e.disqualified_reason,
                last_engaged_at=e.last_engaged_at,
                roles=tuple(ContactRole(r.role, r.source, r.confidence, r.counts) for r in e.roles.values()),
            )
            for e in evals
        )
        ranked = sorted(active, key=lambda e: (-e.engagement, e.contact.id))
        top_contacts = tuple(
            TopContact(e.contact.id, e.name, e.contact.title, e.engagement, min(e.engagement, cap))
            for e in ranked[:TOP_N] if e.engagement > 0
        )
        top_activities = _top_activities(active, ruleset)
    return Qualification(
        account_id=snapshot.id,
        stage=stage,
        previous_stage=previous,
        changed=changed,
        reason=reason,
        held=held,
        qualified_at=qualified_at,
        scores=Scores(fit=fit, engagement=engagement, mqa_score=mqa_score),
        mqa=mqa,
        sql=sql,
        contacts=contacts,
        buying_center=bc,
        next_action=action,
        top_contacts=top_contacts,
        top_activities=top_activities,
        ruleset_version=ruleset.version,
        as_of=as_of,
        groups=tuple(g for _, g in gates),
        group=shown.name,
        qualified_group=shown.name if shown.passed else None,
        hierarchy=hierarchy_contacts(rolled, bc, inherited),
        requalify_at=requalify_at,
        explained=explain,
    )
