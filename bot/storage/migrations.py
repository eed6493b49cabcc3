"""Numbered schema migrations; PRAGMA user_version records how far a database has come."""

from __future__ import annotations


def statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]


# Each entry upgrades the schema from version i to i + 1. Never edit a released entry:
# append a new one. Times are ISO-8601 UTC text; JSON columns hold pydantic dumps.
MIGRATIONS: list[str] = [
    # 1: users, their answers, issued programs (versioned), conversation scratch state.
    """
    CREATE TABLE users (
        id          INTEGER PRIMARY KEY,           -- Telegram user id
        chat_id     INTEGER NOT NULL,
        first_name  TEXT NOT NULL DEFAULT '',
        timezone    TEXT,                          -- IANA name, NULL until asked
        units       TEXT NOT NULL DEFAULT 'kg' CHECK (units IN ('kg', 'lb')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE profiles (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        answers     TEXT NOT NULL,                 -- the Profile as JSON
        created_at  TEXT NOT NULL
    );
    CREATE TABLE programs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        profile_id  INTEGER NOT NULL REFERENCES profiles(id),
        outcome     TEXT NOT NULL,
        plan        TEXT NOT NULL,                 -- the issued Plan as JSON, frozen
        created_at  TEXT NOT NULL,
        UNIQUE (user_id, version)
    );
    CREATE TABLE conversations (
        user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        flow        TEXT NOT NULL,
        state       TEXT NOT NULL,                 -- the flow's scratch state as JSON
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE groups_told (
        chat_id     INTEGER PRIMARY KEY,
        told_at     TEXT NOT NULL
    );
    """,
]

MIGRATIONS.append(
    # 2: training schedules and the planned sessions reminders are sent for.
    """
    CREATE TABLE schedules (
        user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        schedule      TEXT NOT NULL,               -- weekdays, local time, IANA timezone (JSON)
        progress      TEXT NOT NULL,               -- what was done when (JSON)
        paused        TEXT,                        -- NULL, 'user' or 'blocked'
        updated_at    TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        program_id    INTEGER NOT NULL REFERENCES programs(id),
        kind          TEXT NOT NULL CHECK (kind IN ('upper', 'lower')),
        local_date    TEXT NOT NULL,               -- YYYY-MM-DD in the user's timezone
        due_ts        INTEGER NOT NULL,            -- when the reminder is due, Unix seconds (UTC)
        expires_ts    INTEGER NOT NULL,            -- end of that local day, Unix seconds (UTC)
        status        TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'reminded',
                          'done', 'skipped', 'missed', 'moved', 'cancelled')),
        reminded_at   TEXT,
        closed_at     TEXT,
        created_at    TEXT NOT NULL
    );
    CREATE INDEX sessions_due ON sessions (status, due_ts);
    CREATE UNIQUE INDEX sessions_one_open ON sessions (user_id)
        WHERE status IN ('planned', 'sending', 'reminded');
    """
)

MIGRATIONS.append(
    # 3: workouts (guided or not), every logged set with its target, and per-exercise targets.
    """
    CREATE TABLE workouts (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        program_id    INTEGER NOT NULL REFERENCES programs(id),
        session_id    INTEGER REFERENCES sessions(id),
        kind          TEXT NOT NULL CHECK (kind IN ('upper', 'lower')),
        local_date    TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('active', 'finished', 'ended-early')),
        items         TEXT NOT NULL,               -- the exercises and where each stands (JSON)
        position      INTEGER NOT NULL DEFAULT 0,  -- index of the current item
        started_at    TEXT NOT NULL,
        ended_at      TEXT
    );
    CREATE UNIQUE INDEX workouts_one_active ON workouts (user_id) WHERE status = 'active';
    CREATE TABLE set_logs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        workout_id    INTEGER REFERENCES workouts(id) ON DELETE CASCADE,
        exercise_id   TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('warmup', 'working', 'max')),
        reps          INTEGER NOT NULL CHECK (reps BETWEEN 1 AND 100),
        weight_kg     REAL,                        -- NULL: bodyweight only
        added         INTEGER NOT NULL DEFAULT 0,  -- weight added to bodyweight
        target_reps_min INTEGER,
        target_reps_max INTEGER,
        target_weight_kg REAL,
        logged_at     TEXT NOT NULL
    );
    CREATE INDEX set_logs_by_exercise ON set_logs (user_id, exercise_id, id);
    CREATE TABLE targets (
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        exercise_id   TEXT NOT NULL,
        weight_kg     REAL,
        reps_min      INTEGER NOT NULL,
        reps_max      INTEGER,
        below_streak  INTEGER NOT NULL DEFAULT 0,
        explanation   TEXT NOT NULL DEFAULT '',
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (user_id, exercise_id)
    );
    """
)

MIGRATIONS.append(
    # 4: safety: pre-session back checks, pain during an exercise, check-ins after pain at
    # set-up, and lighter workouts on a stiff day.
    """
    ALTER TABLE workouts ADD COLUMN light INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE back_checks (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        local_date    TEXT NOT NULL,               -- YYYY-MM-DD in the user's timezone
        feeling       TEXT NOT NULL CHECK (feeling IN ('fine', 'stiff', 'hurts', 'red-flag')),
        session_id    INTEGER REFERENCES sessions(id),
        checked_at    TEXT NOT NULL
    );
    CREATE INDEX back_checks_user ON back_checks (user_id, id);
    CREATE TABLE pain_reports (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        exercise_id   TEXT NOT NULL,
        workout_id    INTEGER REFERENCES workouts(id) ON DELETE CASCADE,
        reported_at   TEXT NOT NULL
    );
    CREATE INDEX pain_reports_user ON pain_reports (user_id, exercise_id);
    CREATE TABLE checkins (
        user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        due_ts        INTEGER NOT NULL,            -- Unix seconds (UTC)
        created_at    TEXT NOT NULL
    );
    CREATE INDEX checkins_due ON checkins (due_ts);
    """
)

MIGRATIONS.append(
    # 5: users whose next session is still to be planned (after a set-based day-end expiry or
    # a crash), found by a partial index; and an index for expiring reminders by day end.
    """
    ALTER TABLE schedules ADD COLUMN needs_plan INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX schedules_needs_plan ON schedules (user_id) WHERE needs_plan = 1;
    CREATE INDEX sessions_expiry ON sessions (status, expires_ts);
    """
)

MIGRATIONS.append(
    # 6: where each logged set came from (the message or button update), so an edit replaces
    # what its message logged, a redelivered update logs nothing twice and undo knows the last
    # line; effort (RPE/RIR) and the workout item per set; per-set rep targets.
    """
    CREATE TABLE log_sources (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        chat_id       INTEGER,                     -- the message that logged (NULL: a button)
        message_id    INTEGER,
        message_date  INTEGER,                     -- its Unix time: ids alone may repeat
        update_id     INTEGER,                     -- the Telegram update that logged
        workout_id    INTEGER REFERENCES workouts(id) ON DELETE CASCADE,
        exercise_id   TEXT NOT NULL,
        text          TEXT NOT NULL DEFAULT '',    -- what the user typed
        failed        INTEGER NOT NULL DEFAULT 0,  -- an error followed the save
        created_at    TEXT NOT NULL
    );
    CREATE UNIQUE INDEX log_sources_message ON log_sources (chat_id, message_id, message_date)
        WHERE message_id IS NOT NULL;
    CREATE INDEX log_sources_update ON log_sources (update_id) WHERE update_id IS NOT NULL;
    CREATE INDEX log_sources_user ON log_sources (user_id, id);
    ALTER TABLE set_logs ADD COLUMN source_id INTEGER REFERENCES log_sources(id) ON DELETE CASCADE;
    ALTER TABLE set_logs ADD COLUMN item_index INTEGER;
    ALTER TABLE set_logs ADD COLUMN rpe REAL;
    ALTER TABLE set_logs ADD COLUMN rir INTEGER;
    ALTER TABLE targets ADD COLUMN rep_targets TEXT NOT NULL DEFAULT '[]';
    """
)

MIGRATIONS.append(
    # 7: the update journal: every update from Telegram is recorded before it is acknowledged
    # and marked done once handled, so a crash loses none and a redelivery changes nothing;
    # and when a claimed reminder's send was attempted.
    """
    CREATE TABLE update_journal (
        update_id     INTEGER PRIMARY KEY,         -- Telegram's update_id
        body          TEXT,                        -- the update as JSON, NULL once handled
        -- committed: the handler's first write is in (so a replay would apply it twice)
        status        TEXT NOT NULL CHECK (status IN ('pending', 'committed', 'done', 'dropped')),
        received_at   TEXT NOT NULL,
        done_at       TEXT
    );
    CREATE INDEX update_journal_pending ON update_journal (status, update_id);
    -- set just before a claimed reminder's request is sent: a crash with it NULL proves the
    -- reminder never left, so it goes back in the queue instead of being counted as sent
    ALTER TABLE sessions ADD COLUMN attempted_at TEXT
    """
)

MIGRATIONS.append(
    # 8: imported logs (a Strong or Hevy file), the weekly report's schedule and opt-out.
    """
    CREATE TABLE imports (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        source        TEXT NOT NULL,               -- 'strong' or 'hevy'
        sets          INTEGER NOT NULL,
        created_at    TEXT NOT NULL
    );
    ALTER TABLE set_logs ADD COLUMN import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE;
    ALTER TABLE set_logs ADD COLUMN workout_name TEXT;  -- the workout's name in an imported file
    CREATE TABLE weekly_reports (
        user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        enabled       INTEGER NOT NULL DEFAULT 1,
        due_ts        INTEGER,                     -- next report, Unix seconds (UTC), NULL: to plan
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX weekly_reports_due ON weekly_reports (due_ts);
    """
)

MIGRATIONS.append(
    # 9: each plan stored once per distinct content, compressed, in `plans`; a program row
    # points at its plan by key (many users with the same answers share one). Existing
    # programs move their plan there and keep '' in the old column, which code that predates
    # this migration still fills (such a row is read from it, so old versions stay readable).
    # plan_key() and plan_pack() are Python functions registered on the connection.
    """
    CREATE TABLE plans (
        key           TEXT PRIMARY KEY,            -- BLAKE2b-128 of the plan's JSON, hex
        body          BLOB NOT NULL                -- the plan's JSON, zlib-compressed
    );
    ALTER TABLE programs ADD COLUMN plan_key TEXT REFERENCES plans(key);
    INSERT INTO plans (key, body)
        SELECT plan_key(plan), plan_pack(plan) FROM programs WHERE plan != ''
        ON CONFLICT (key) DO NOTHING;
    UPDATE programs SET plan_key = plan_key(plan), plan = '' WHERE plan != ''
    """
)

MIGRATIONS.append(
    # 10 (issue 15): the language a user chose with /language, and the one their Telegram app
    # reports, so reminders and reports sent without an update still speak their language.
    """
    ALTER TABLE users ADD COLUMN language TEXT;            -- 'en', 'ru' or NULL: not chosen
    ALTER TABLE users ADD COLUMN telegram_language TEXT;   -- primary subtag last seen, or NULL
    """
)

MIGRATIONS.append(
    # 11 (issue 13): every workout's items compressed again, against the preset dictionary of
    # bot/storage/items.py (about 0.4 KB less per workout). workout_items_repack() is a Python
    # function registered on the connection; it reads every earlier way a row was written.
    """
    UPDATE workouts SET items = workout_items_repack(items)
    """
)
