"""Meetings, decisions, votes and delegations: see issue 4."""
