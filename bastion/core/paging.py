"""Pages of long lists whose total is counted only up to a cap.

Counting every row of a city's registry (a million persons) for "共 N 人" took longer than
reading the page itself (COUNT(*) 100 ms at tier M, more at L); past a few thousand rows
nobody pages to the end, they filter. So the total is counted up to COUNT_CAP and shown as
"10000+" beyond it; below the cap it is exact and nothing changes.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

COUNT_CAP = 10_000


class CappedPaginator(Paginator[Any]):
    def __init__(self, object_list: QuerySet[Any], per_page: int) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list

    @cached_property
    def count(self) -> int:
        # One row more than the cap tells that there are more, without counting them.
        # COUNT(*) over a LIMIT subquery, unordered so the database need not sort to count.
        return self.queryset.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.count)
