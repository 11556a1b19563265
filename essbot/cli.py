"""The `essbot` command."""

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from essbot.clock import Clock, Stopwatch
from essbot.config import Settings, get_settings
from essbot.db.migrate import upgrade
from essbot.logs import setup_logging

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_NOT_AVAILABLE = 2

logger = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the chosen subcommand, return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command | None = getattr(args, "command", None)
    if command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        settings = get_settings()
    except ValidationError as error:
        print(f"essbot: invalid ESSBOT_* environment:\n{error}", file=sys.stderr)
        return EXIT_USAGE
    secrets = [settings.token.get_secret_value()] if settings.token else []
    setup_logging(secrets=secrets)
    try:
        code = command(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # "essbot extract … | head": the reader has had enough; stop quietly, as cat does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="essbot",
        description="Find and follow events of the French social and solidarity economy.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="run the bot, applying migrations first")
    run.set_defaults(command=run_bot)

    chat = commands.add_parser("chat", help="chat with the bot in the console")
    _add_now_and_lang(chat)
    chat.set_defaults(command=chat_in_console)

    ask = commands.add_parser("ask", help="print the reply the bot would send to a question")
    ask.add_argument("question", metavar="QUESTION")
    _add_now_and_lang(ask)
    ask.set_defaults(command=ask_once)

    parse = commands.add_parser("parse", help="print how a question is understood")
    parse.add_argument("question", metavar="QUESTION")
    parse.add_argument("--now", type=datetime.fromisoformat, metavar="ISO")
    parse.add_argument("--json", action="store_true", help="one JSON object")
    parse.add_argument("--lang", choices=("fr", "en"), default="fr", help="the user's language")
    parse.set_defaults(command=parse_question)

    extract = commands.add_parser("extract", help="print the events found in announcements")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--ref-date", type=date.fromisoformat, metavar="YYYY-MM-DD")
    extract.add_argument("--json", action="store_true", help="one JSON object per event")
    extract.set_defaults(command=extract_announcements)

    import_ = commands.add_parser(
        "import", help="extract and store announcements (a folder: its .txt files)"
    )
    import_.add_argument("paths", nargs="+", metavar="FILE|DIR")
    import_.add_argument("--ref-date", type=date.fromisoformat, metavar="YYYY-MM-DD")
    import_.set_defaults(command=import_announcements)

    db = commands.add_parser("db", help="database maintenance")
    db.set_defaults(command=show_help(db))
    db_commands = db.add_subparsers(title="commands", metavar="COMMAND")
    db_upgrade = db_commands.add_parser("upgrade", help="apply migrations up to the latest")
    db_upgrade.set_defaults(command=upgrade_database)

    bench = commands.add_parser("bench", help="run the performance benchmarks")
    bench.set_defaults(command=not_available("bench"))
    return parser


def _add_now_and_lang(parser: argparse.ArgumentParser) -> None:
    """The options shared by the conversational subcommands."""
    parser.add_argument("--now", type=datetime.fromisoformat, metavar="ISO")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")


def show_help(parser: argparse.ArgumentParser) -> Command:
    """A command that only prints this parser's help (a group given no subcommand)."""

    def command(args: argparse.Namespace, settings: Settings) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return command


def not_available(name: str) -> Command:
    """A subcommand that exists in --help but is not built yet."""

    def command(args: argparse.Namespace, settings: Settings) -> int:
        print(f"essbot {name}: not available yet", file=sys.stderr)
        return EXIT_NOT_AVAILABLE

    return command


def upgrade_database(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot db upgrade`: apply every pending migration."""
    asyncio.run(upgrade(settings.database_url))
    logger.info("Database is up to date")
    return 0


def extract_announcements(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot extract`: print the events of each file, as JSON lines or tables."""
    # Imported here so that the other subcommands start without loading the extractor.
    from essbot.announcements import (
        AnnouncementError,
        announcement_files,
        events_table,
        extract_announcement,
        json_lines,
        print_failures,
    )

    files, failures = announcement_files(args.files)
    console = Console()
    for path in files:
        try:
            extraction = extract_announcement(path, ref_date=_reference_date(args, settings))
        except AnnouncementError as error:
            failures.append(str(error))
            continue
        if args.json:
            sys.stdout.write(json_lines(extraction))
        else:
            console.print(events_table(extraction))
    print_failures(failures)
    return EXIT_FAILURE if failures else 0


def parse_question(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot parse`: print how a question is understood, as JSON or as lines."""
    import json

    from essbot.understand import understand

    now = _now(args, settings)
    query = understand(args.question, now, args.lang, tz=settings.zone)
    shape = query.to_json()
    if args.json:
        print(json.dumps(shape, ensure_ascii=False))
        return 0
    for key, value in shape.items():
        print(f"{key:10} {value}")
    where = query.where
    if where.alternatives:
        print(f"{'homonyms':10} {', '.join(place.label for place in where.alternatives)}")
    if where.suggestions:
        print(f"{'did you mean':10} {', '.join(place.label for place in where.suggestions)}")
    return 0


def _now(args: argparse.Namespace, settings: Settings) -> datetime:
    """--now (a naive time is read in the default time zone), else the clock."""
    now: datetime | None = args.now
    if now is None:
        return Clock(settings.now).now()
    return now if now.tzinfo is not None else now.replace(tzinfo=settings.zone)


def import_announcements(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot import`: migrate, then extract and store each file, with a progress bar."""
    from essbot.announcements import (
        announcement_files,
        import_files,
        print_failures,
        summary_table,
    )

    files, failures = announcement_files(args.paths)
    if not files:
        print_failures(failures)
        return EXIT_FAILURE
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Importing", total=len(files))
        run = asyncio.run(
            import_files(
                files,
                database_url=settings.database_url,
                timezone=settings.timezone,
                now=Clock(settings.now).now(),
                ref_date=_reference_date(args, settings),
                on_file=lambda path: progress.update(task, advance=1, description=path.name),
            )
        )
    Console().print(summary_table(run))
    print_failures(failures + run.failures)
    return EXIT_FAILURE if failures or run.failures else 0


def _reference_date(args: argparse.Namespace, settings: Settings) -> date:
    """--ref-date, else today where the events are: it places dates written without a year."""
    ref_date: date | None = args.ref_date
    return ref_date or Clock(settings.now).now().astimezone(settings.zone).date()


def run_bot(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot run`: migrate, then poll Telegram; without a token, chat in the console."""
    asyncio.run(upgrade(settings.database_url))
    if settings.token is not None:
        # python-telegram-bot is slow to import and only this path needs it.
        from essbot.bot.app import run_polling

        logger.info("Starting long polling")
        run_polling(settings)
        return 0
    console = Console()
    print_gazetteer_summary(console)
    console.print("No ESSBOT_TOKEN: Telegram is off, here is the console chat. Type quit to leave.")
    args.now, args.lang = None, "fr"
    return chat_in_console(args, settings)


def chat_in_console(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot chat`: the bot's conversation in the terminal, buttons as numbered choices."""
    from essbot.console import chat

    return in_console(args, settings, lambda conversation: chat(conversation, lambda: input("> ")))


def ask_once(args: argparse.Namespace, settings: Settings) -> int:
    """`essbot ask`: print the reply the bot would send to one question."""
    return in_console(args, settings, lambda conversation: conversation.say(args.question))


def in_console(
    args: argparse.Namespace, settings: Settings, talk: Callable[[Any], Awaitable[Any]]
) -> int:
    """Run `talk` on a console conversation with the bot, on the settings' database."""
    from essbot.console import ConsoleChat

    async def converse() -> None:
        answerer, engine = await console_answerer(settings)
        try:
            clock = _clock(args, settings)
            await talk(ConsoleChat(answerer, clock, sys.stdout, language=args.lang))
        finally:
            await engine.dispose()

    asyncio.run(converse())
    return 0


async def console_answerer(settings: Settings) -> tuple[Any, Any]:
    """Migrate; on a database with no announcement yet, import the seed texts; then the
    Answerer over it (and its engine, to dispose of)."""
    from sqlalchemy import select

    from essbot.announcements import import_files
    from essbot.answer import Answerer
    from essbot.db import Document, create_engine_from_url, create_session_factory
    from essbot.geo.gazetteer import default_data_dir

    await upgrade(settings.database_url)
    engine = create_engine_from_url(settings.database_url)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        empty = await session.scalar(select(Document.id).limit(1)) is None
    if empty:
        seeds = sorted((default_data_dir() / "announcements").glob("*.txt"))
        now = Clock(settings.now).now()
        await import_files(seeds, database_url=settings.database_url,
                           timezone=settings.timezone, now=now, ref_date=None)  # fmt: skip
        logger.info("Imported the %d seed announcements", len(seeds))
    answerer = Answerer(sessions, tz=settings.zone, admins=settings.admins)
    answerer.prepare(Clock(settings.now).now())
    return answerer, engine


def _clock(args: argparse.Namespace, settings: Settings) -> Clock:
    """--now starts the clock there (it then runs); else ESSBOT_NOW, else real time."""
    return Clock(_now(args, settings)) if args.now is not None else Clock(settings.now)


def print_gazetteer_summary(console: Console) -> None:
    """Load the gazetteer and print how many places it knows and how long that took."""
    # Imported here so that the other subcommands start without loading the geo package.
    from essbot.geo import load_gazetteer

    with Stopwatch() as watch:
        gazetteer = load_gazetteer()
    table = Table(title="Gazetteer")
    table.add_column("communes", justify="right")
    table.add_column("departments", justify="right")
    table.add_column("regions", justify="right")
    table.add_column("load time", justify="right")
    table.add_row(
        f"{len(gazetteer.communes):,}",
        f"{len(gazetteer.departments):,}",
        f"{len(gazetteer.regions):,}",
        f"{watch.seconds:.2f} s",
    )
    console.print(table)
