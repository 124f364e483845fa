"""The webhook delivery worker: at least once, in order per account, retried with backoff, dead-lettered.

A thread started by the app's lifespan (one process only: `serve --workers` runs it in the
supervisor, like the Requalifier). Every `webhook_poll_s` it hands each webhook that is not busy to
its own lane in a thread pool: a slow, hanging or dead receiver holds only its own lane, never
another webhook, and never ingest (events are written by the change statements; delivering them is
this thread's business alone).

A lane (`run_webhook`) first queues the webhook's new events (Delivery nodes, MERGEd by id, and the
webhook's cursor moved past them, in one statement), then walks its pending deliveries in event
order, account by account: an account's next event is sent only after the one before it was
delivered or dead-lettered, so a receiver sees each account's events in order. A delivery is marked
delivered only after a 2xx answer, so a crash between the POST and that write sends it again (at
least once; receivers de-duplicate by event id). A failure schedules the next try with
`schedule.backoff_s`, stored on the Delivery, so restarts keep the schedule; after the webhook's
`max_attempts` the delivery is dead (the account's later events go on) until an admin redelivers it.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx

from graphsvc.background import Background
from graphsvc.errors import GraphsvcError
from graphsvc.events import formats, signing
from graphsvc.events.feed import EventFeed, to_event
from graphsvc.events.schedule import backoff_s
from graphsvc.events.secrets_file import SecretsFile, secrets_path
from graphsvc.events.webhooks import redact
from graphsvc.state import AppState

log = logging.getLogger("graphsvc.webhooks")

LANES = 16  # webhooks delivering at once; more wait for a free lane (each attempt is bounded by the timeout)
PAGE = 500


class DeliveryWorker(Background):
    def __init__(self, state: AppState, *, poll_s: float | None = None, client: httpx.Client | None = None) -> None:
        s = state.settings
        self.state = state
        self.poll_s = s.webhook_poll_s if poll_s is None else poll_s
        self.base_s, self.cap_s = s.webhook_backoff_base_s, s.webhook_backoff_cap_s
        self.secrets = SecretsFile(secrets_path(s))
        self.http = client or httpx.Client(timeout=s.webhook_timeout_s, follow_redirects=False)
        super().__init__("webhooks", enabled=self.poll_s > 0)
        self._pool = ThreadPoolExecutor(max_workers=LANES, thread_name_prefix="webhook")
        self._busy: dict[str, Future[Any]] = {}

    # -- lifecycle ------------------------------------------------------------------------------
    def stop(self) -> None:
        super().stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.http.close()

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            self.guarded("webhook delivery", self._dispatch)

    def _dispatch(self) -> None:
        """Give each webhook whose lane is free its next run of deliveries."""
        for w in self.state.store.read("events/webhooks"):
            busy = self._busy.get(w["id"])
            if busy is None or busy.done():
                self._busy[w["id"]] = self._pool.submit(self._guarded, w)

    def _guarded(self, webhook: dict[str, Any]) -> None:
        try:
            self.run_webhook(webhook)
        except GraphsvcError as exc:
            log.warning("webhook %s: delivery paused: %s", webhook["id"], exc.message)
        except Exception:  # noqa: BLE001 - a lane must not die silently either
            log.exception("webhook %s: delivery failed", webhook["id"])

    def run_once(self) -> dict[str, int]:
        """Every webhook's lane, inline, once (tests and one-shot runs)."""
        out = {"queued": 0, "sent": 0, "delivered": 0}
        for w in self.state.store.read("events/webhooks"):
            for k, v in self.run_webhook(w).items():
                out[k] += v
        return out

    # -- one webhook ----------------------------------------------------------------------------
    def run_webhook(self, webhook: dict[str, Any]) -> dict[str, int]:
        queued = self.enqueue(webhook)
        sent, delivered = self.deliver_due(webhook)
        return {"queued": queued, "sent": sent, "delivered": delivered}

    def enqueue(self, webhook: dict[str, Any]) -> int:
        """Queue the deliveries of the events past the webhook's cursor, PAGE ids at a time up to the
        counter read first (a window: see events/window.cypher), moving the cursor past each in the
        same statement. A window holding fewer events than ids (a gap, or a server behind the
        counter) is read again without a bound, and the cursor moves only to its last event."""
        queued, cursor = 0, webhook["cursor"]
        types = set(webhook.get("types") or [])
        last = EventFeed(self.state.store).last_id()
        while cursor < last:
            upto = min(cursor + PAGE, last)
            rows = self.state.store.read("events/backlog", after=cursor, upto=upto, limit=PAGE)
            if len(rows) < upto - cursor:
                rows = self.state.store.read("events/backlog", after=cursor, limit=PAGE)
                if not rows:
                    return queued
                upto = rows[-1]["seq"]
            wanted = [{"id": f"{webhook['id']}:{r['seq']}", "seq": r["seq"], "account": r["account"]} for r in rows
                      if (not types or r["type"] in types)
                      and (webhook.get("segment") is None or r.get("segment") == webhook["segment"])
                      and (webhook.get("owner") is None or r.get("owner") == webhook["owner"])]
            out = self.state.store.write("events/enqueue", webhook=webhook["id"], rows=wanted, now=self.state.clock(),
                                         **{"from": cursor, "to": upto})
            if not out:  # another worker moved the cursor: its deliveries are queued; start from its cursor
                return queued
            queued, cursor = queued + out[0]["queued"], upto
        return queued

    def deliver_due(self, webhook: dict[str, Any]) -> tuple[int, int]:
        pending = self.state.store.read("events/pending", webhook=webhook["id"], limit=PAGE,
                                       now=self.state.clock())
        if not pending:
            return 0, 0
        secret = self.secrets.get(webhook["id"])
        if secret is None:
            log.error("webhook %s has no secret in %s: nothing is sent", webhook["id"], self.secrets.path)
            return 0, 0
        by_account: dict[str, list[dict[str, Any]]] = {}
        for d in pending:
            by_account.setdefault(d["account"], []).append(d)
        events = {r["seq"]: r for r in self.state.store.read("events/events_by_seq", seqs=[d["seq"] for d in pending])}
        sent = delivered = 0
        for queue in by_account.values():
            for d in queue:  # in event order; the next only once this one is delivered or dead
                if self._stop.is_set() or not d["due"]:
                    break
                row = events.get(d["seq"])
                sent += 1
                ok = self._attempt(webhook, secret, d, row)
                delivered += ok
                if not ok and not self._dead(webhook, d):
                    break
        return sent, delivered

    @staticmethod
    def _dead(webhook: dict[str, Any], d: dict[str, Any]) -> bool:
        return bool(d["attempts"] + 1 >= webhook["max_attempts"])

    def _attempt(self, webhook: dict[str, Any], secret: str, d: dict[str, Any], row: dict[str, Any] | None) -> bool:
        now = self.state.clock()
        code: int | None = None
        error: str | None
        if row is None:
            error = "the event no longer exists"
        else:
            payload = formats.body(webhook["format"], to_event(row), row.get("account_name"))
            headers = signing.headers(secret, d["seq"], int(now), payload)
            try:
                response = self.http.post(webhook["url"], content=payload, headers=headers)
                code = response.status_code
                error = None if 200 <= code < 300 else f"HTTP {code}"
            except httpx.HTTPError as exc:  # the type only: an httpx message may quote the URL
                error = type(exc).__name__
        attempts = d["attempts"] + 1
        if error is None:
            status, next_at = "delivered", None
        elif self._dead(webhook, d):
            status, next_at = "dead", None
            log.warning("webhook %s (%s): event %s dead-lettered after %d attempts: %s", webhook["id"],
                        redact(webhook["url"]), d["seq"], attempts, error)
        else:
            status, next_at = "pending", now + backoff_s(attempts, base_s=self.base_s, cap_s=self.cap_s)
            log.info("webhook %s (%s): event %s attempt %d failed (%s); next try in %.0f s", webhook["id"],
                     redact(webhook["url"]), d["seq"], attempts, error, next_at - now)
        self.state.store.write("events/delivery_result", id=d["id"], status=status, attempts=attempts,
                               next_at=next_at, code=code, error=error, now=now)
        return error is None
