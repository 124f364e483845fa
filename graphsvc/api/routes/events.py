"""The outbox feed: every stage and role change as an ordered event, for systems that pull."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from graphsvc.api.deps import Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.events.feed import EVENT_TYPES, EventFeed, EventPage, check_types

router = APIRouter(prefix="/v1/events", tags=["events"], dependencies=[NoNulParams])
# Sales tools and analysts' pipelines pull the feed; webhooks (admin) push it.
ACCESS = Access({"*": ("sales", "analyst")})  # who may call these routes (graphsvc.auth.policy)

MAX_SEQ = 2**62  # an event id this service issued is never larger


@router.get("", response_model=EventPage, summary="Events after a cursor, oldest first (resumable, at least once)",
            description="Every stage change and role change is an event written in the same transaction as the "
            "change, with an ordered `id`. Keep the `next_cursor` of the last page you handled and pass it back as "
            "`after`: you get every event at least once, in order (after a crash you may see a few again: "
            "de-duplicate by `id`). A short page's `next_cursor` is the newest id looked at (events your filters "
            "leave out are not looked at again); with nothing new it is `after`. Types: "
            + "; ".join(f"`{k}`: {v}" for k, v in EVENT_TYPES.items()))
def feed(
    store: Store,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="The last event id you handled (0: from the start).")] = 0,
    types: Annotated[list[str] | None, Query(description="Only these types (repeat, or comma-separated).")] = None,
    account_id: Annotated[str | None, Query(max_length=200, description="Only this account's events.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    return EventFeed(store).page(after, check_types(types or []), account_id, limit)
