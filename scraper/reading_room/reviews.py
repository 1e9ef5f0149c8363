"""What the reading room reads about reviews: a post's review with its work, and a work
with every review of it across the archived blogs.

Archives made before the ``reviews`` migration have no such tables: then a post has no
review and there is no work to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasette.database import Database

Row = dict[str, Any]

_POST_REVIEW = """
select reviews.*, works.title as work_title, works.type as work_type, works.year as work_year,
  works.image_url as work_image_url
from reviews left join works on works.id = reviews.work_id
where reviews.post_id = :id"""

_WORK_REVIEWS = """
select reviews.*, posts.title as post_title, posts.published, posts.deleted_at as post_deleted_at,
  coalesce(blogs.name, posts.blog_id) as blog_name, authors.name as author_name
from reviews join posts on posts.id = reviews.post_id
left join blogs on blogs.id = posts.blog_id
left join authors on authors.id = posts.author_id
where reviews.work_id = :id and reviews.deleted_at is null
order by reviews.rating is null, reviews.rating desc, posts.published"""


@dataclass
class WorkPage:
    work: Row
    reviews: list[Row]  # the live reviews, best-rated first

    @property
    def blogs(self) -> int:
        return len({review["blog_id"] for review in self.reviews})

    @property
    def mean_rating(self) -> float | None:
        """The critics' mean on the 0..1 scale, over the reviews that rate."""
        rated = [review["rating"] for review in self.reviews if review["rating"] is not None]
        return sum(rated) / len(rated) if rated else None


async def post_review(db: Database, post_id: str) -> Row | None:
    if not await db.table_exists("reviews"):
        return None
    found = await db.execute(_POST_REVIEW, {"id": post_id})
    return dict(found.first()) if found.rows else None


async def load_work(db: Database, work_id: str) -> WorkPage | None:
    if not await db.table_exists("works"):
        return None
    found = await db.execute("select * from works where id = :id", {"id": work_id})
    if not found.rows:
        return None
    reviews = await db.execute(_WORK_REVIEWS, {"id": work_id})
    return WorkPage(work=dict(found.first()), reviews=[dict(r) for r in reviews.rows])


def stars(rating: float | None) -> str:
    """A 0..1 rating as five stars, to the nearest half: ``★★★½☆``."""
    if rating is None:
        return ""
    halves = int(rating * 10 + 0.5)  # half up: 0.75 is four stars
    full, half = divmod(halves, 2)
    return "★" * full + ("½" if half else "") + "☆" * (5 - full - half)
