"""Webhooks (admin): register receivers of events, read their delivery log, redeliver."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from graphsvc.api.deps import Now, State
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.events.secrets_file import SecretsFile, secrets_path
from graphsvc.events.signing import EVENT_ID, SIGNATURE, TIMESTAMP
from graphsvc.events.webhooks import WebhookIn, Webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], dependencies=[NoNulParams])
# Where events go and with which secret is an administrator's decision.
ACCESS = Access({"*": ()})  # admin only (graphsvc.auth.policy)

_404 = {404: {"description": "Unknown webhook (or delivery)"}}
SCHEME = (f"Each delivery is a POST with headers `{EVENT_ID}` (the event id: de-duplicate by it, delivery is at "
          f"least once), `{TIMESTAMP}` (unix seconds) and `{SIGNATURE}: v1=<hex>`, the HMAC-SHA256, keyed with the "
          "webhook's secret, of `<timestamp>.<raw body>`. Verify it in constant time and refuse timestamps more than "
          "5 minutes from your clock (replays). A 2xx answer is success; anything else, or no answer within "
          "GRAPHSVC_WEBHOOK_TIMEOUT_S, is retried with exponential backoff and jitter, then dead-lettered after "
          "`max_attempts`. Events of one account arrive in order.")


def _webhooks(state: State) -> Webhooks:
    return Webhooks(state.store, SecretsFile(secrets_path(state.settings)), state.settings.webhook_max_attempts)


Hooks = Annotated[Webhooks, Depends(_webhooks)]


@router.post("", status_code=201, summary="Register a webhook; its signing secret is in this answer only",
             description="Events that happen from now on (the types, segment and owner asked for) are POSTed to "
             "`url`. The answer's `secret` is shown this once and never again: keep it. " + SCHEME,
             responses={422: {"description": "A URL that is not http(s), holds credentials, or an unknown type"}})
def create(body: WebhookIn, hooks: Hooks, now: Now) -> dict[str, Any]:
    return hooks.create(body, now)


@router.get("", summary="The webhooks (never their secrets)")
def list_webhooks(hooks: Hooks) -> list[dict[str, Any]]:
    return hooks.all()


@router.get("/{webhook_id}", summary="One webhook (never its secret)", responses=_404)
def get_webhook(webhook_id: str, hooks: Hooks) -> dict[str, Any]:
    return hooks.get(webhook_id)


@router.delete("/{webhook_id}", status_code=204, summary="Remove a webhook, its secret and its delivery log",
               responses=_404)
def delete(webhook_id: str, hooks: Hooks) -> None:
    hooks.delete(webhook_id)


@router.get("/{webhook_id}/deliveries", summary="The delivery log: one row per event sent (or to send)",
            description="Status `pending` (with `next_at`, the next try), `delivered` or `dead` (dead-lettered "
            "after `max_attempts`: redeliver it by hand), attempts made, the last HTTP status and error.",
            responses=_404)
def deliveries(
    webhook_id: str,
    hooks: Hooks,
    status: Literal["pending", "delivered", "dead"] | None = None,
    after: Annotated[int, Query(ge=0, le=2**62, description="Only events after this id.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    return hooks.deliveries(webhook_id, status, after, limit)


@router.post("/{webhook_id}/deliveries/{event_id}/redeliver", summary="Send an event to the webhook again",
             description="A dead-lettered (or delivered) delivery goes back to `pending`, due now, with its attempts "
             "starting over.", responses=_404)
def redeliver(webhook_id: str, event_id: Annotated[int, Path(ge=0, le=2**62)], hooks: Hooks,
              now: Now) -> dict[str, Any]:
    return hooks.redeliver(webhook_id, event_id, now)
