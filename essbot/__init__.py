"""essbot: find and follow events of the French social and solidarity economy."""
