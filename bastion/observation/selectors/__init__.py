"""Scoped reads of the observation app. `policy_for` is how every domain finds its rules."""

from bastion.observation.selectors.policy import policy_for, policy_slot_labels

__all__ = ["policy_for", "policy_slot_labels"]
