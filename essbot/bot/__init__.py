"""The Telegram layer: Application builder and handlers."""
