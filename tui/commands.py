"""The subcommands behind `peace-tui`: each opens the store, does one thing, prints.

Every StoreError becomes one line on stderr and exit code 2; nothing is
written unless the whole command's input was valid.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from store import Proposal, Store, StoreError
from store.collector import paused
from store.errors import InvalidData

from . import render

if TYPE_CHECKING:
    from store.search import QuoteSearch
    from store.views import QuoteView

__all__ = ["default_db_path", "explorer_db", "open_store", "resolve_db", "run"]

#: Commands that may create a missing database (empty) at an explicit path.
_CREATES = {"ingest", "import"}
MAX_IMPORT_BYTES = 512 * 1024 * 1024
#: Commands that only read.
_READS = {"quotes", "actors", "proposals", "diff", "export", "check"}


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("peace-tui", appauthor=False) / "peace-tui.json"


def resolve_db(explicit: str | None) -> tuple[Path, bool]:
    """The database path and whether it is the default one (created from the sample)."""
    if explicit:
        return Path(explicit), False
    env = os.environ.get("PEACE_TUI_DB")
    if env:
        return Path(env), False
    return default_db_path(), True


def open_store(explicit: str | None, command: str | None) -> Store:
    path, is_default = resolve_db(explicit)
    if is_default and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        return _create_from_sample(path)
    if not path.exists() and command not in _CREATES:
        raise StoreError(
            f"no database at {path} (create one with `peace-tui ingest FILE --db {path}` "
            f"or `peace-tui import FILE --db {path}`)"
        )
    return Store.open(path, create=command in _CREATES)


def explorer_db(explicit: str | None) -> Path:
    """The explorer's database file: the default one is made from the sample first."""
    path, is_default = resolve_db(explicit)
    if is_default and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_from_sample(path).close()
    elif not path.exists():
        open_store(explicit, None)  # raises: no database there
    return path


def _create_from_sample(path: Path) -> Store:
    from store.sample import load_sample

    store = Store.open(path, create=True)
    store.add_bundle(load_sample())
    return store


def _print_json(data: object) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    try:
        if args.command is None:  # the explorer reads the file after it paints
            from .loading import start_early  # (the store and numpy: the explorer's too)

            path = explorer_db(args.db)
            early = start_early(path)  # a large new file's helper, at work while Textual loads
            try:
                from .app import run_app

                return run_app(path, early)
            finally:  # (used, it is closed already; else it must not be left working)
                if early is not None:
                    early.close()
        store = open_store(args.db, args.command)
        if args.command in _READS:
            # One reading and no cycles: without the collector walking every quote made
            # (a command over 1,000,000 quotes spent 1.6 s in it after the reading).
            with paused():
                return _COMMANDS[args.command](store, args)
        return _COMMANDS[args.command](store, args)
    except StoreError as e:
        sys.stderr.write(f"peace-tui: error: {render.one_line(str(e))}\n")
        return 2


def cmd_quotes(store: Store, args: argparse.Namespace) -> int:
    from store.search import QuoteSearch
    from store.views import quote_views

    from .loading import is_small, load

    if args.search is None or store.path is None or is_small(store):
        views = quote_views(store.bundle())
        return _print_quotes(views, args, None if args.search is None else QuoteSearch(views))
    # A large database is read as the explorer reads it: with what a snapshot of an
    # earlier reading says (its index, its checks), and one kept for the next search
    # (1,000,000 quotes: 44 s a search before; 16 s with a snapshot); an index that
    # ranks hits as a new one would (`ranked`).
    loaded = load(store, lambda _: None, writes=False, ranked=True)
    try:
        return _print_quotes(loaded.corpus.views, args, loaded.corpus.index)
    finally:
        sys.stdout.flush()
        if loaded.after_shown is not None:
            loaded.after_shown()


def _print_quotes(views: list[QuoteView], args: argparse.Namespace,
                  index: QuoteSearch | None = None) -> int:
    spans: dict[str, tuple] = {}
    if index is not None:
        result = index.search(args.search)
        for problem in result.query.problems:
            sys.stderr.write(f"peace-tui: warning: {problem}\n")
        views = [h.view for h in result.hits]
        spans = {h.view.statement.id: h.spans for h in result.hits}
        if result.fuzzy and views:
            sys.stderr.write("peace-tui: no exact match; showing near matches\n")
    if args.json:
        _print_json([v.as_json() for v in views])
    elif views:
        render.quotes_table(views, spans)
    else:
        sys.stderr.write("peace-tui: no quotes matched\n")
    return 1 if args.search is not None and not views else 0


def cmd_actors(store: Store, args: argparse.Namespace) -> int:
    from store.views import statement_counts

    bundle = store.bundle()
    counts = statement_counts(bundle.statements)
    actors = sorted(bundle.actors, key=lambda a: (-counts.get(a.id, 0), a.name.casefold()))
    if args.json:
        _print_json([{**a.model_dump(mode="json"), "statements": counts.get(a.id, 0)}
                     for a in actors])
    else:
        render.actors_table(actors, counts)
    return 0


def cmd_proposals(store: Store, args: argparse.Namespace) -> int:
    from store.views import proposal_order

    bundle = store.bundle()
    names = {a.id: a.name for a in bundle.actors}
    proposals = sorted(bundle.proposals, key=proposal_order, reverse=True)
    if args.json:
        _print_json([{**p.model_dump(mode="json"), "proposer_name": names.get(p.proposer)}
                     for p in proposals])
    else:
        render.proposals_table(proposals, names)
    return 0


def cmd_diff(store: Store, args: argparse.Namespace) -> int:
    from store.diff import diff_proposals

    left, right = store.get(Proposal, args.a), store.get(Proposal, args.b)
    rows = diff_proposals(left, right)
    if args.json:
        _print_json({"left": {"id": left.id, "title": left.title},
                     "right": {"id": right.id, "title": right.title},
                     "rows": [r.as_json() for r in rows]})
    else:
        render.diff_table(left, right, rows)
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from store import exchange

    bundle = store.bundle()
    if args.format == "json":
        sys.stdout.buffer.write(exchange.dump_json(bundle))
    elif args.format == "csv":
        from store.views import quote_views

        sys.stdout.write(exchange.quotes_csv(quote_views(bundle)))
    else:
        sys.stdout.write(exchange.brief_markdown(bundle))
    sys.stdout.flush()
    return 0


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    path = Path(name)
    try:
        if path.is_dir():
            raise InvalidData(f"{name}: is a folder, not a file")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InvalidData(f"{name}: larger than {MAX_IMPORT_BYTES // 2**20} MiB")
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidData(f"{name}: no such file") from None
    except OSError as e:
        raise InvalidData(f"{name}: cannot read ({e.strerror})") from None


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """An exchange file, or a proposal typed by hand (YAML or JSON): told apart by its keys."""
    from store.handwritten import detect

    raw = _read_input(args.file)
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidData(f"{args.file}: larger than {MAX_IMPORT_BYTES // 2**20} MiB")
    found = detect(raw, args.file)
    # Refuse a database holding a document this version cannot read (as every
    # command that reads it does) rather than write new data beside it.
    store.bundle()
    if isinstance(found, list):
        from store.edits import Editor

        added, present, record = Editor(store).import_proposals(found)
        created = [c.id for c in record.changes if c.table == "actors"] if record else []
        for p in added:
            print(f"imported proposal {p.id} ({len(p.terms)} term"
                  f"{'' if len(p.terms) == 1 else 's'})")
        for p in present:
            print(f"proposal {p.id} is already present: nothing imported")
        if created:
            print(f"created the proposer{'s' if len(created) > 1 else ''} {', '.join(created)}")
        return 0
    bundle = found
    added = store.add_bundle(bundle)
    skipped = bundle.count() - added.count()
    print(f"imported {len(added.actors)} actors, {len(added.sources)} sources, "
          f"{len(added.statements)} statements, {len(added.proposals)} proposals"
          + (f" ({skipped} already present)" if skipped else ""))
    return 0


def cmd_check(store: Store, args: argparse.Namespace) -> int:
    from store.check import check_bundle

    bundle = store.bundle()
    problems = check_bundle(bundle)
    for line in problems:
        print(render.one_line(line))
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print(f"ok: {len(bundle.statements)} statements and "
          f"{sum(1 for p in bundle.proposals for t in p.terms if t.span)} proposal terms "
          f"verified verbatim in {len(bundle.sources)} sources")
    return 0


def _meta_overrides(args: argparse.Namespace):
    """The --date given on the command line, checked."""
    import datetime as dt

    published = None
    if args.date:
        try:
            published = dt.date.fromisoformat(args.date)
        except ValueError:
            raise InvalidData(f"--date wants YYYY-MM-DD, not {args.date[:20]!r}") from None
    return published


def cmd_ingest(store: Store, args: argparse.Namespace) -> int:
    """Read and extract every input first; then save them all in one write."""
    from store import Actor
    from store.ingest.pipeline import ArticleMeta, extract_article
    from store.ingest.reader import iter_articles

    published = _meta_overrides(args)
    if args.files.count("-") > 1:
        raise InvalidData("'-' (standard input) can be given once")
    known = store.list(Actor)
    extractions = []
    for name, text, meta in iter_articles(args.files):
        meta = ArticleMeta(
            title=args.title or meta.title, outlet=args.outlet or meta.outlet,
            published=published or meta.published, url=args.url or meta.url)
        ex = extract_article(text, meta, known, name="stdin" if name == "-" else name)
        known = [a for a in known if a.id not in {x.id for x in ex.actors}] + ex.actors
        extractions.append((name, ex))
    if args.dry_run:
        saved = [None] * len(extractions)
    else:
        saved = store.add_articles([ex.bundle() for _, ex in extractions])
    report = [render.ingest_entry(name, ex, saved=added is not None, dry_run=args.dry_run)
              for (name, ex), added in zip(extractions, saved, strict=True)]
    if args.json:
        _print_json(report)
    else:
        render.ingest_summary(report)
    return 0


_COMMANDS = {
    "ingest": cmd_ingest,
    "quotes": cmd_quotes,
    "actors": cmd_actors,
    "proposals": cmd_proposals,
    "diff": cmd_diff,
    "export": cmd_export,
    "import": cmd_import,
    "check": cmd_check,
}
