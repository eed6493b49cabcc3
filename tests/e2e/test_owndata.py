"""The user's own data end to end: /export, /import of a sent file, /calendar, /delete."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

from bot.domain.logfile import STRONG_COLUMNS
from standin import SentMessage
from tests.e2e.conftest import START, Harness
from tests.e2e.flows import answer_up_to_conditions, finish, onboard, start_and_check

MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


async def log_on(h: Harness, user: int, when: datetime, line: str) -> None:
    """Log a set outside a session at a given moment."""
    h.clock.now = when
    [ok] = await h.send(user, line)
    assert "(logged)" in ok.plain_text, ok.plain_text


def file_of(msg: SentMessage) -> bytes:
    assert msg.method == "sendDocument", msg.method
    data = msg.files[0].data
    assert data is not None
    return data


async def send_file(
    h: Harness, user: int, data: bytes, name: str = "strong.csv", expect: int = 1
) -> list[SentMessage]:
    h.standin.send_document(user, data, name)
    return await h.new_messages(user, expect)


async def set_rows(h: Harness, user: int) -> list[tuple[Any, ...]]:
    """A user's sets as (local day, exercise, kind, reps, weight, added), in order."""
    rows = await h.app.bot_data.db.all(
        """SELECT logged_at, exercise_id, kind, reps, weight_kg, added FROM set_logs
           WHERE user_id = ? ORDER BY logged_at, id""",
        (user,),
    )
    return [(r[0][:10], r[1], r[2], r[3], r[4], r[5]) for r in rows]


async def count(h: Harness, sql: str, *args: object) -> int:
    row = await h.app.bot_data.db.one(sql, args)
    assert row is not None
    return int(row[0])


async def log_a_history(h: Harness, user: int) -> None:
    await log_on(h, user, START, "deadlift 5x5 100")
    await log_on(h, user, START + timedelta(hours=1), "pullup-wide bw x 8, +10 x 6")
    await log_on(h, user, START + timedelta(days=3), "seated cable row 3x10 52.5")
    await log_on(h, user, START + timedelta(days=3, hours=1), "deadlift max 3 120")


async def test_export_sends_strong_csv_and_full_json(harness: Harness) -> None:
    h, u = harness, 801
    await onboard(h, u)
    await log_a_history(h, u)
    csv_doc, json_doc = await h.send(u, "/export", expect=2)
    assert csv_doc.files[0].filename == "backcoach-log.csv"
    table = list(csv.reader(io.StringIO(file_of(csv_doc).decode())))
    assert table[0] == STRONG_COLUMNS
    assert len(table) == 1 + 5 + 2 + 3 + 1
    first = dict(zip(STRONG_COLUMNS, table[1], strict=True))
    # 08:00 UTC is 09:00 in Berlin: the user's local time, as Strong writes it.
    assert first["Date"] == "2026-11-23 09:00:00" and first["Exercise Name"] == "Barbell deadlift"
    assert (first["Set Order"], first["Weight"], first["Reps"]) == ("1", "100", "5")
    assert [r[4] for r in table[-1:]] == ["F"]  # the all-out set
    assert "Your log: 11 set(s)" in (csv_doc.plain_text or "")

    dump = json.loads(file_of(json_doc))
    tables = dump["tables"]
    assert dump["timezone"] == "Europe/Berlin" and dump["units"] == "kg"
    assert len(tables["set_logs"]) == 11 and tables["users"][0]["id"] == u
    assert tables["profiles"][0]["answers"]["goal"] == "width"  # JSON columns stay JSON
    assert tables["schedules"][0]["schedule"]["timezone"] == "Europe/Berlin"
    for name in ("programs", "sessions", "back_checks", "workouts", "targets"):
        assert name in tables


async def test_export_then_import_for_another_user_gives_the_same_sets(harness: Harness) -> None:
    h, a, b = harness, 802, 803
    await onboard(h, a)
    await log_a_history(h, a)
    await onboard(h, b)
    csv_doc, _ = await h.send(a, "/export", expect=2)

    [preview] = await send_file(h, b, file_of(csv_doc), "backcoach-log.csv")
    text = preview.plain_text
    assert "Strong export: 11 set(s) to import on 2 day(s)" in text
    assert "Barbell deadlift → Barbell deadlift" in text and "Not matched" not in text
    assert await set_rows(h, b) == []  # nothing saved before the user says yes
    [done] = await h.press(b, "Import 11 set(s)")
    assert "11 set(s) imported" in done.plain_text
    assert await set_rows(h, b) == await set_rows(h, a)
    assert await count(h, "SELECT COUNT(*) FROM imports WHERE user_id = ?", b) == 1

    # Imported sets count for records and history: a heavier set is a record against them...
    h.clock.now = START + timedelta(days=5)
    [ok] = await h.send(b, "deadlift 5x5 105")
    assert "(logged)" in ok.plain_text
    [chart] = await h.send(b, "/progress deadlift")
    assert "3 days logged, 2 records starred" in (chart.plain_text or "")  # 120 x 3, then 105 x 5
    # ...and the same file again brings nothing twice.
    [again] = await send_file(h, b, file_of(csv_doc), "backcoach-log.csv")
    assert "0 set(s) to import" in again.plain_text and "11 set(s) already in your log" in (
        again.plain_text
    )
    assert "nothing was saved" in again.plain_text and again.buttons == []


async def test_an_import_sets_next_targets_from_the_history(harness: Harness) -> None:
    """The lower day has seated cable rows at 4 x 6-12: all four at the top means more weight."""
    h, u = harness, 804
    await onboard(h, u)
    rows = [f"2026-11-16 18:00:00,Back,1h,Seated Cable Row,{i},60,12,,,,," for i in (1, 2, 3, 4)]
    rows += [
        "2026-11-16 18:00:00,Back,1h,T-Bar Row,1,40,10,,,,,",  # not in this program
        "2026-11-16 18:00:00,Back,1h,Bench Press (Barbell),1,80,5,,,,,",
    ]
    data = (",".join(STRONG_COLUMNS) + "\n" + "\n".join(rows) + "\n").encode()
    [preview] = await send_file(h, u, data)
    assert "Bench Press (Barbell): 1 set(s)" in preview.plain_text  # shown, left out
    assert "T-Bar Row → T-bar row" in preview.plain_text
    await h.press(u, "Import 5 set(s)")
    target = await h.app.bot_data.workouts.target(u, "seated-cable-row")
    assert target is not None and target.weight_kg == 65  # one 5 kg step up from 60
    assert await h.app.bot_data.workouts.target(u, "t-bar-row") is None


async def test_an_import_never_gives_a_ruled_out_exercise_a_target(harness: Harness) -> None:
    h, u = harness, 812
    await answer_up_to_conditions(h, u, "Stronger back", "Intermediate (1-3 years)", "10")
    await finish(h, u, ["Disc hernia or protrusion (in remission)"])
    rows = [f"2026-11-16 18:00:00,Back,1h,Deadlift (Barbell),{i},100,12,,,,," for i in (1, 2, 3, 4)]
    data = (",".join(STRONG_COLUMNS) + "\n" + "\n".join(rows) + "\n").encode()
    [preview] = await send_file(h, u, data)
    assert "Your answers rule out Barbell deadlift" in preview.plain_text
    assert "history only" in preview.plain_text
    await h.press(u, "Import 4 set(s)")
    assert await count(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 4
    assert await count(h, "SELECT COUNT(*) FROM targets WHERE user_id = ?", u) == 0


async def test_bad_files_get_a_clear_reply_and_import_nothing(harness: Harness) -> None:
    h, u = harness, 805
    await onboard(h, u)
    header = ",".join(STRONG_COLUMNS)
    cases = [
        (b"", "empty.csv", "doesn't look like a Strong or Hevy export"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "photo.csv", "not text"),
        (b"name,age\nbob,3\n", "people.csv", "doesn't look like a Strong or Hevy export"),
        ((header + "\n").encode(), "header.csv", "no sets"),
        ((header + "\nnot a date,W,,Deadlift,1,100,5,,,,,\n").encode(), "bad.csv", "no sets"),
        (b"x" * (2 * 1024 * 1024 + 1), "huge.csv", "up to 2 MB"),
    ]
    for data, name, words in cases:
        [reply] = await send_file(h, u, data, name)
        assert words in reply.plain_text, (name, reply.plain_text)
        assert "Nothing was imported" in reply.plain_text
    assert await count(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 0
    assert await count(h, "SELECT COUNT(*) FROM imports WHERE user_id = ?", u) == 0
    # An old Import button after the preview is gone imports nothing either.
    ok = (header + "\n2026-11-16 18:00:00,B,1h,Deadlift (Barbell),1,100,5,,,,,\n").encode()
    await send_file(h, u, ok)
    [cancelled] = await h.press(u, "Cancel")
    assert "nothing was imported" in cancelled.plain_text
    assert await count(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 0
    [old] = await send_file(h, u, ok)
    [new] = await send_file(h, u, ok)
    [imported] = await h.press(u, "Import 1 set(s)", message=new)
    assert "1 set(s) imported" in imported.plain_text
    [stale] = await h.press(u, "Import 1 set(s)", message=old)
    assert "no longer open" in stale.plain_text
    assert await count(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 1


async def test_a_hevy_export_in_pounds_imports_as_kg(harness: Harness) -> None:
    h, u = harness, 816
    await onboard(h, u)
    columns = "title start_time end_time exercise_title set_index set_type weight_lbs reps"
    head = ",".join(f'"{c}"' for c in columns.split())
    rows = [
        '"Pull","16 Nov 2026, 18:05","16 Nov 2026, 19:00","Deadlift (Barbell)",0,"warmup",135,5',
        '"Pull","16 Nov 2026, 18:05","16 Nov 2026, 19:00","Deadlift (Barbell)",1,"normal",225,5',
    ]
    [preview] = await send_file(h, u, "\n".join([head, *rows]).encode(), "workouts.csv")
    assert "Hevy export: 2 set(s) to import on 1 day(s)" in preview.plain_text
    assert "your unit" not in preview.plain_text  # Hevy names its unit; nothing to assume
    await h.press(u, "Import 2 set(s)")
    rows_in = await h.app.bot_data.db.all(
        "SELECT kind, weight_kg, logged_at FROM set_logs WHERE user_id = ? ORDER BY id", (u,)
    )
    assert [(r[0], round(r[1], 3)) for r in rows_in] == [("warmup", 61.235), ("working", 102.058)]
    assert rows_in[0][2].startswith("2026-11-16T17:05:00")  # 18:05 in Berlin, stored in UTC


async def test_a_preview_survives_a_restart(harness: Harness) -> None:
    h, u = harness, 813
    await onboard(h, u)
    header = ",".join(STRONG_COLUMNS)
    data = (header + "\n2026-11-16 18:00:00,B,1h,Deadlift (Barbell),1,100,5,,,,,\n").encode()
    [preview] = await send_file(h, u, data)
    await h.restart()
    [done] = await h.press(u, "Import 1 set(s)", message=preview)
    assert "1 set(s) imported" in done.plain_text
    assert await count(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 1


async def test_a_file_in_the_middle_of_the_questions_waits(harness: Harness) -> None:
    h, u = harness, 814
    await onboard(h, u)
    await h.send(u, "/settings", expect=2)
    [reply] = await send_file(h, u, b"Date,Exercise Name\n")
    assert "finish the questions first" in reply.plain_text
    saved = await h.app.bot_data.repo.load_conversation(u)
    assert saved is not None and saved.flow != "import"  # the set-up is still where it was


async def test_import_before_set_up_asks_for_start(harness: Harness) -> None:
    h, u = harness, 806
    h.standin.user(u)
    [reply] = await send_file(h, u, b"Date,Exercise Name\n")
    assert "/start" in reply.plain_text


async def test_calendar_file_opens_as_eight_weeks_of_sessions(harness: Harness) -> None:
    h, u = harness, 807
    await onboard(h, u)  # Mondays and Thursdays at 18:00 in Berlin
    [doc] = await h.send(u, "/calendar")
    assert doc.files[0].filename == "backcoach-sessions.ics"
    cal = icalendar.Calendar.from_ical(file_of(doc))
    events = list(cal.walk("VEVENT"))
    assert 15 <= len(events) <= 17  # two a week for 8 weeks
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    starts = [e.decoded("dtstart") for e in events]
    assert all(str(s.tzinfo) == "Europe/Berlin" for s in starts)
    assert all((s.hour, s.minute) == (18, 0) for s in starts)
    assert all(s.weekday() in (0, 3) for s in starts)
    assert starts[0].date() == date(2026, 11, 23)
    assert all(b - a >= timedelta(days=3) for a, b in itertools.pairwise(starts))
    assert starts[-1].date() <= date(2026, 11, 23) + timedelta(weeks=8)
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[:2] == [
        "Back training: upper-back day",
        "Back training: lower and middle back day",
    ]
    assert len({str(e["UID"]) for e in events}) == len(events)


async def test_calendar_while_paused_says_to_resume_first(harness: Harness) -> None:
    h, u = harness, 815
    await onboard(h, u)
    await h.send(u, "/pause")
    [reply] = await h.send(u, "/calendar")
    assert reply.method == "sendMessage" and "/resume" in reply.plain_text


async def test_calendar_without_a_schedule_says_how_to_get_one(harness: Harness) -> None:
    h, u = harness, 808
    [reply] = await h.send(u, "/calendar")
    assert reply.method == "sendMessage" and "/schedule" in reply.plain_text


async def rows_about(h: Harness, user: int) -> dict[str, int]:
    """Rows in every table (found from sqlite_master) that refer to the user."""
    db = h.app.bot_data.db
    tables = [
        str(r[0])
        for r in await db.all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found: dict[str, int] = {}
    for table in tables:
        columns = [str(c[1]) for c in await db.all(f"PRAGMA table_info('{table}')")]
        keys = [c for c in columns if c in ("user_id", "chat_id")]
        if table == "users":
            keys.append("id")
        for key in keys:
            n = await count(h, f"SELECT COUNT(*) FROM {table} WHERE {key} = ?", user)
            if n:
                found[f"{table}.{key}"] = n
    return found


async def test_delete_names_what_goes_then_leaves_no_row_and_start_begins_fresh(
    harness: Harness,
) -> None:
    h, u, other = harness, 809, 810
    await onboard(h, u)
    await onboard(h, other)
    await log_a_history(h, u)
    await log_a_history(h, other)
    h.clock.now = MON_18_BERLIN
    await h.app.bot_data.runner.tick()
    await h.new_messages(u)
    await h.new_messages(other)
    await start_and_check(h, u, "Fine")  # a back check and a workout in progress
    before = await rows_about(h, u)
    assert {"set_logs.user_id", "back_checks.user_id", "workouts.user_id"} <= before.keys()

    [question] = await h.send(u, "/delete")
    text = question.plain_text
    for words in ("your answers (1)", "logged sets (11)", "back checks (1)", "your schedule (1)"):
        assert words in text, words
    assert "can't be undone" in text and "/export" in text
    [kept] = await h.press(u, "Keep my data")
    assert "Nothing was deleted" in kept.plain_text and await rows_about(h, u) == before

    [question] = await h.send(u, "/delete")
    other_before = await rows_about(h, other)
    [done] = await h.press(u, "Delete everything")
    assert "everything I stored about you is deleted" in done.plain_text
    assert await rows_about(h, u) == {}
    assert await rows_about(h, other) == other_before  # nobody else's data

    [greeting] = await h.send(u, "/start")
    assert "not medical advice" in greeting.plain_text and "1/13" in greeting.plain_text
    assert greeting.buttons  # a fresh set-up
    [nothing] = await h.send(u, "/progress")
    assert "Nothing to chart yet" in nothing.plain_text


async def test_an_old_delete_button_deletes_nothing(harness: Harness) -> None:
    h, u = harness, 811
    await onboard(h, u)
    [question] = await h.send(u, "/delete")
    h.clock.now = h.clock.now + timedelta(minutes=11)
    [refused] = await h.press(u, "Delete everything", message=question)
    assert "too old" in refused.plain_text
    assert await count(h, "SELECT COUNT(*) FROM users WHERE id = ?", u) == 1


async def test_after_delete_the_bot_speaks_the_users_app_language_again(
    harness: Harness,
) -> None:
    h, u = harness, 812  # the Telegram app is in English
    await onboard(h, u)
    await h.send(u, "/language")
    chosen = h.standin.press_button(u, h.with_button(u, "Русский").message_id, "Русский")
    await h.standin.wait_for_callback_answer(chosen, timeout=10)
    [question] = await h.send(u, "/delete")
    assert "Удалить всё" in [b.text for row in question.buttons for b in row]
    [done] = await h.press(u, "Удалить всё")
    assert "всё, что я о тебе хранил, удалено" in done.plain_text  # said in Russian
    assert await count(h, "SELECT COUNT(*) FROM users WHERE id = ?", u) == 0
    [greeting] = await h.send(u, "/start")  # with the first question
    assert "not medical advice" in greeting.plain_text, "the choice went with the rest"
