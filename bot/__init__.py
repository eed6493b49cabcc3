"""BackCoach: a Telegram bot that coaches back training in the gym."""
