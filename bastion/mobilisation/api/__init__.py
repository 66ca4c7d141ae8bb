"""Mobilisation API (动员): members, calls and applications, teams, work logs.

Work logs carry a `client_uuid`: a new record answers 201, a replay answers 200 with the first
record. Every create honours an `Idempotency-Key` header. Names are masked.
"""

from bastion.mobilisation.api.endpoints import router

__all__ = ["router"]
