"""A server worker loads its views and freezes what it keeps (config/wsgi.py)."""

import gc
import sys

from bastion.core.startup import freeze_loaded


def test_freeze_loaded_loads_every_view_and_takes_the_living_out_of_collections() -> None:
    try:
        # when
        moved = freeze_loaded()

        # then the views are imported and the objects alive are frozen: a full collection
        # no longer walks them
        assert "bastion.observation.api.observations" in sys.modules
        assert moved > 10_000
        assert gc.get_freeze_count() == moved
    finally:
        gc.unfreeze()
