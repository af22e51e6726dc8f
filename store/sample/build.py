"""Build the bundled sample from the seed article and the curation below.

    python -m store.sample.build ../shared/corpus/articles/dailymail-kremlin-rejects-us-plan.txt

The curation (who is who, which words are whose quote, which terms each
proposal has) is written by hand here; offsets are not: every quote and
term is located in the cleaned article text, so the result always passes
`peace-tui check`. The output, `store/sample/sample.json`, is committed.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..db import Bundle
from ..exchange import dump_json
from ..ingest.clean import clean_article
from ..models import Actor, Proposal, Source, Statement, Term, content_hash, statement_id

SOURCE_ID = "dailymail-2025-04-29-kremlin-rejects-us-plan"
REUTERS_ID = "reuters-2025-04-25-us-framework"
PUBLISHED = dt.date(2025, 4, 29)  # "late April 2025"; Monday 28 April is "yesterday" in it
MONDAY = dt.date(2025, 4, 28)

ACTORS = [
    Actor(id="sergei-lavrov", name="Sergei Lavrov", kind="person", aliases=["Lavrov"],
          role="Foreign Minister", affiliation="Russia"),
    Actor(id="vladimir-putin", name="Vladimir Putin", kind="person", aliases=["Putin"],
          role="President", affiliation="Russia"),
    Actor(id="volodymyr-zelensky", name="Volodymyr Zelensky", kind="person",
          aliases=["Zelensky", "Zelenskyy", "Volodymyr Zelenskyy"],
          role="President", affiliation="Ukraine"),
    Actor(id="donald-trump", name="Donald Trump", kind="person", aliases=["Trump"],
          role="President", affiliation="United States"),
    Actor(id="karoline-leavitt", name="Karoline Leavitt", kind="person",
          aliases=["Leavitt", "Trump's spokeswoman"],
          role="White House Press Secretary (Trump's spokeswoman)",
          affiliation="United States"),
    Actor(id="emmanuel-macron", name="Emmanuel Macron", kind="person", aliases=["Macron"],
          role="President", affiliation="France"),
    Actor(id="dara-massicot", name="Dara Massicot", kind="person", aliases=["Massicot"],
          role="Senior Fellow", affiliation="Carnegie Endowment for International Peace"),
    Actor(id="francois-heisbourg", name="François Heisbourg", kind="person",
          aliases=["Heisbourg", "Francois Heisbourg"], role="Special adviser",
          affiliation="Foundation for Strategic Research, Paris"),
    Actor(id="thomas-gomart", name="Thomas Gomart", kind="person", aliases=["Gomart"],
          role="Director", affiliation="IFRI (French Institute of International Relations)"),
    Actor(id="douglas-barrie", name="Douglas Barrie", kind="person", aliases=["Barrie"],
          role="Senior fellow for military aerospace",
          affiliation="International Institute for Strategic Studies, London"),
    Actor(id="european-diplomat", name="A European diplomat", kind="anonymous",
          role="spoke on condition of anonymity to an Associated Press reporter"),
    Actor(id="kremlin", name="The Kremlin", kind="institution", aliases=["Kremlin"],
          affiliation="Russia"),
    Actor(id="russia", name="Russia", kind="state", aliases=["Russian Federation", "Moscow"]),
    Actor(id="ukraine", name="Ukraine", kind="state", aliases=["Kyiv", "Kiev"]),
    Actor(id="united-states", name="United States", kind="state",
          aliases=["US", "USA", "Washington", "Trump administration"]),
    Actor(id="kiel-institute", name="Kiel Institute", kind="organisation",
          aliases=["Keil Institute", "Kiel Institute for the World Economy"]),
]

# (speaker, verbatim text as between the quote marks, said_on, issue codes)
QUOTES = [
    ("sergei-lavrov", "neo-Nazi", MONDAY, ["X-Leadership"]),
    ("sergei-lavrov", "All the commitments Kiev assumes must be legally binding, contain "
     "enforcement mechanisms and be permanent", MONDAY, ["ImE", "SsrGua"]),
    ("sergei-lavrov", "Demilitarising and de-Nazifying Ukraine is also on the agenda, along with "
     "lifting sanctions, withdrawing lawsuits and cancelling arrest warrants, as well as returning "
     "Russian assets subjected to the so-called freeze in the West.", MONDAY,
     ["SsrArm", "TjSan", "TjCou", "TjAm", "X-FrozenAssets"]),
    ("dara-massicot", "The Kremlin wants a ceasefire for those days because it can’t suitably "
     "defend airspace from Ukrainian drones and they want a smooth 80th anniversary victory day "
     "parade", None, ["Ce"]),
    ("kremlin", "Based on humanitarian considerations, the Russian side is declaring a truce "
     "during the 80th anniversary of Victory Day", MONDAY, ["Ce"]),
    ("kremlin", "all hostilities", MONDAY, ["Ce"]),
    ("kremlin", "In the event of violations of the truce by the Ukrainian side, the Russian armed "
     "forces will give an adequate and effective response", MONDAY, ["Ce", "ImE"]),
    ("donald-trump", "stop shooting and sign a deal", None, ["Ce"]),
    ("donald-trump", "killing field", None, ["Ce"]),
    ("francois-heisbourg", "It took a World War to roll back de jure annexations and 60 million "
     "people died", None, ["X-Recognition", "StBor"]),
    ("francois-heisbourg", "Europeans will not accept it", None, ["X-Recognition"]),
    ("emmanuel-macron", "caution", MONDAY, ["Ce"]),
    ("emmanuel-macron", "part of the equation", MONDAY, ["Ce"]),
    ("emmanuel-macron", "In the next eight to ten days, we will increase the pressure on the "
     "Kremlin. […] It’s not right for all the pressure to fall on Ukraine", MONDAY, ["Ce"]),
    ("european-diplomat", "already be doing things without America", None, ["SsrArm"]),
    ("thomas-gomart", "big mistake", None, ["SsrArm"]),
    ("thomas-gomart", "this war started in February 2022 and not in February 2014", None,
     ["StBor"]),
    ("douglas-barrie", "inevitably", None, ["SsrArm"]),
    # "a day after a Russian strike on the Ukrainian city of Sumy" (13 April 2025)
    ("donald-trump", "You don’t start a war against someone 20 times your size and then hope "
     "that people give you some missiles", dt.date(2025, 4, 14), ["SsrArm"]),
    ("douglas-barrie", "quality, it’s quantity", None, ["SsrArm"]),
    ("thomas-gomart", "This issue is not a question about the next two months or the next two "
     "years. This issue is about the next two decades", None, ["SsrGua"]),
]


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.find(needle, after)
    if start < 0:
        raise SystemExit(f"not found in the cleaned article: {needle[:60]!r}")
    return start, start + len(needle)


def _paragraph(text: str, span: tuple[int, int]) -> str:
    start = text.rfind("\n\n", 0, span[0])
    end = text.find("\n\n", span[1])
    return text[0 if start < 0 else start + 2 : len(text) if end < 0 else end]


def _term(text: str, issue: str, needle: str) -> Term:
    return Term(issue=issue, text=needle, source_id=SOURCE_ID, span=_span(text, needle))


def _reported(issue: str, words: str) -> Term:
    return Term(issue=issue, text=words, source_id=REUTERS_ID)


def build(article: Path) -> Bundle:
    text = clean_article(article.read_text("utf-8"))
    source = Source(
        id=SOURCE_ID, outlet="Daily Mail", published=PUBLISHED, text=text,
        title="Kremlin rejects US peace plan as Lavrov sets out Russia's terms for a ceasefire",
        content_hash=content_hash(text),
    )
    reuters = Source(
        id=REUTERS_ID, outlet="Reuters", published=dt.date(2025, 4, 25),
        title="Framework for a Russia-Ukraine Agreement (US proposal text, "
        "as published by Reuters)",
    )
    statements = []
    cursor = 0
    for actor_id, quote, said_on, issues in QUOTES:
        span = _span(text, quote, cursor)
        cursor = span[0]
        statements.append(Statement(
            id=statement_id(SOURCE_ID, *span), actor_id=actor_id, text=quote,
            source_id=SOURCE_ID, span=span, said_on=said_on,
            said_on_precision="day" if said_on else "unknown",
            context=_paragraph(text, span), issues=issues,
        ))
    proposals = [
        Proposal(
            id="us-seven-point-plan", title="US seven-point peace plan", proposer="united-states",
            date=dt.date(2025, 4, 1), date_precision="month", status="rejected",
            source_ids=[SOURCE_ID, REUTERS_ID],
            terms=[
                _term(text, "Ce", "effectively freeze the frontline in place"),
                _reported("Ce", "A permanent ceasefire."),
                _term(text, "X-Recognition", "recognise Moscow’s control of Crimea"),
                _reported("X-Recognition", "De jure US recognition of Crimea as Russian; de facto "
                          "recognition of Russian control of Luhansk and of the occupied parts of "
                          "Donetsk, Zaporizhzhia and Kherson."),
                _term(text, "StBor", "allow Vladimir Putin to keep Ukrainian territory seized by "
                      "his forces"),
                _term(text, "X-Alliance", "assuring that Ukraine would not join NATO"),
                _reported("X-Alliance", "No NATO membership for Ukraine; membership of the "
                          "European Union possible."),
                _reported("SsrGua", "A robust security guarantee for Ukraine from European and "
                          "other friendly countries."),
                _reported("TjSan", "Sanctions imposed on Russia since 2014 lifted."),
                _reported("DevInfra", "The Zaporizhzhia nuclear power plant operated by the "
                          "United States, supplying electricity to Ukraine and Russia."),
            ],
        ),
        Proposal(
            id="russia-terms-lavrov", title="Russia's terms for a ceasefire (Lavrov)",
            proposer="sergei-lavrov", date=MONDAY, date_precision="day", status="proposed",
            source_ids=[SOURCE_ID],
            terms=[
                _term(text, "X-Recognition", "international recognition of Russian sovereignty "
                      "over the four annexed Ukrainian regions of Donetsk, Luhansk, Kherson and "
                      "Zaporizhzhia"),
                _term(text, "X-Leadership", "the removal of Ukrainian President Volodymyr "
                      "Zelensky and what he called Ukraine’s ‘neo-Nazi’ regime"),
                _term(text, "SsrArm", "a restriction on the size of Ukraine’s army"),
                _term(text, "SsrArm", "Demilitarising and de-Nazifying Ukraine"),
                _term(text, "ImE", "All the commitments Kiev assumes must be legally binding, "
                      "contain enforcement mechanisms and be permanent"),
                _term(text, "TjSan", "lifting sanctions"),
                _term(text, "TjCou", "withdrawing lawsuits"),
                _term(text, "TjAm", "cancelling arrest warrants"),
                _term(text, "X-FrozenAssets", "returning Russian assets subjected to the "
                      "so-called freeze in the West"),
            ],
        ),
        Proposal(
            id="russia-victory-day-truce", title="Russia's Victory Day truce (8-10 May)",
            proposer="kremlin", date=MONDAY, date_precision="day", status="proposed",
            source_ids=[SOURCE_ID],
            terms=[
                _term(text, "Ce", "the Russian side is declaring a truce during the 80th "
                      "anniversary of Victory Day"),
                _term(text, "ImE", "In the event of violations of the truce by the Ukrainian "
                      "side, the Russian armed forces will give an adequate and effective "
                      "response"),
            ],
        ),
        Proposal(
            id="trump-permanent-ceasefire", title="Trump's call for a permanent ceasefire",
            proposer="donald-trump", date=MONDAY, date_precision="day", status="proposed",
            source_ids=[SOURCE_ID],
            terms=[_term(text, "Ce", "Trump is seeking a permanent ceasefire in Ukraine")],
        ),
    ]
    return Bundle(actors=ACTORS, sources=[source, reuters], statements=statements,
                  proposals=proposals)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m store.sample.build ARTICLE")
    out = Path(__file__).with_name("sample.json")
    out.write_bytes(dump_json(build(Path(argv[0]))))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
