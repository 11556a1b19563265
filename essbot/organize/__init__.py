"""Organizers and admins: roles, drafts of announcements to publish, published events to
change or cancel, announcements to subscribers."""
