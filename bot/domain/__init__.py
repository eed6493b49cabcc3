"""The pure coaching core: no Telegram, no SQLite, no clock."""
