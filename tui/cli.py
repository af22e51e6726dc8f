"""The `peace-tui` command: argument parsing and dispatch.

Kept light on purpose: `peace-tui --help` imports only argparse. The store,
rich and Textual are imported by the command that needs them.

Exit codes (a contract, see DESIGN.md): 0 ok, 1 not found / nothing
matched, 2 bad input (one line on stderr, the database untouched).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]

PROG = "peace-tui"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def _db_option(p: argparse.ArgumentParser, default: object) -> None:
    p.add_argument("--db", metavar="PATH", default=default,
                   help="database file (default: $PEACE_TUI_DB, else one in the user data dir)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="A terminal explorer for what the parties to a "
                     "negotiation say and propose. With no command, opens the explorer.")
    _db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        _db_option(p, argparse.SUPPRESS)
        return p

    p = command("ingest", "add articles (text, Markdown or HTML files, folders, or - for stdin)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--outlet", help="the outlet that published it")
    p.add_argument("--title", help="the article's title")
    p.add_argument("--date", help="publication date, YYYY-MM-DD")
    p.add_argument("--url", help="the article's address")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--dry-run", action="store_true", help="show what would be added, save nothing")

    p = command("quotes", "list quotes, optionally matching a search query")
    p.add_argument("--search", metavar="QUERY",
                   help='words, "phrases", -word, speaker:NAME, issue:CODE, after:/before:DATE')
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("actors", "list actors with their number of statements")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("proposals", "list proposals with their terms")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("diff", "compare the terms of two proposals, aligned by issue")
    p.add_argument("a", metavar="A", help="proposal id")
    p.add_argument("b", metavar="B", help="proposal id")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")

    p = command("export", "write everything to standard output")
    p.add_argument("--format", choices=["json", "csv", "md"], default="json",
                   help="json: the exchange format (default); csv: quotes; md: a brief")

    p = command("import", "add an exchange file (as written by export), or a proposal "
                "written by hand in YAML or JSON (title, proposer, date, terms)")
    p.add_argument("file", metavar="FILE", help="a JSON or YAML file, or - for standard input")

    command("check", "verify that every statement is found verbatim at its span in its source")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from . import commands  # the store and its dependencies load only now

    try:
        return commands.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `peace-tui quotes | head`: the reader left; that is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def entry() -> None:  # pragma: no cover - console-script shim
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
