"""The Telegram shell: handlers per feature, rendering, keyboards and the error handler."""
