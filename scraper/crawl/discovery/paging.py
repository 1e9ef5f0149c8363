"""Paging a listing whose page count is the server's word (``X-WP-TotalPages``).

A server's total is a hint, not a plan: one response claiming 1,000,000 pages must not
become 1,000,000 queued requests. Pages 2..N are asked a few at a time (``window``), the
next only once a page has answered, and the listing stops at the first page that lists
nothing new (empty, or the same items again), at WordPress's 400 "invalid page number",
after ``MAX_FAILED_IN_A_ROW`` failed pages, or at the listing page budget.
"""

from __future__ import annotations

from dataclasses import dataclass

# Listing pages in flight per paged listing: Scrapy asks a host at most
# CONCURRENT_REQUESTS_PER_DOMAIN (2) at a time anyway.
WINDOW = 2
# Failed pages (after their retries) in a row that end a listing: a server failing every
# page past some point has nothing more to list.
MAX_FAILED_IN_A_ROW = 3
# HTTP statuses by which WordPress says "no such page" (rest_post_invalid_page_number).
END_STATUSES = frozenset({400, 404, 410})


@dataclass
class Pager:
    """Which pages of one paged listing to ask for next (page 1 is already answered)."""

    stated: int  # the pages the server says there are (X-WP-TotalPages)
    budget: int = 0  # listing pages this listing may fetch; 0 = no limit
    window: int = WINDOW
    next_page: int = 2
    in_flight: int = 0
    failed_in_a_row: int = 0
    stopped: str | None = None  # why the listing ended before the stated page count

    @property
    def last_page(self) -> int:
        """The last page this listing may ask for: the stated count, within the budget."""
        return min(self.stated, self.budget) if self.budget else self.stated

    @property
    def cut_by_budget(self) -> bool:
        return bool(self.budget) and self.stated > self.budget

    def first_pages(self) -> list[int]:
        return self._more()

    def on_page(self, listed_new: bool) -> list[int]:
        """A page answered; ``listed_new``: it listed something no earlier page did."""
        self.in_flight -= 1
        self.failed_in_a_row = 0
        if not listed_new and self.stopped is None:
            self.stopped = "a page listed nothing new"
        return self._more()

    def on_failed(self, http_status: int | None) -> list[int]:
        """A page failed (after its retries)."""
        self.in_flight -= 1
        self.failed_in_a_row += 1
        if self.stopped is None:
            if http_status in END_STATUSES:
                self.stopped = f"HTTP {http_status} past the last real page"
            elif self.failed_in_a_row >= MAX_FAILED_IN_A_ROW:
                self.stopped = f"{self.failed_in_a_row} pages in a row failed"
        return self._more()

    @property
    def done(self) -> bool:
        return self.in_flight == 0 and (self.stopped is not None
                                        or self.next_page > self.last_page)

    @property
    def short(self) -> bool:
        """The listing ended before the page count the server stated."""
        return self.stopped is not None or self.cut_by_budget

    def _more(self) -> list[int]:
        pages = []
        while (self.stopped is None and self.next_page <= self.last_page
               and self.in_flight < self.window):
            pages.append(self.next_page)
            self.next_page += 1
            self.in_flight += 1
        return pages
