"""Telling people: subscriptions, the outbox of due messages, the sweep and the sender."""
