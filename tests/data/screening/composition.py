#!/usr/bin/env python3
"""Print the composition of a labelled screening set and check it against its tags.

Usage: composition.py [heldout.jsonl [heldout.tags.tsv]]

Reads the fixture-format inquiries and the author's per-inquiry tags (language,
typology / hard-negative / product-naming tags, and the DOMAIN.md step-1 sign
numbers seen), prints counts as Markdown tables, and exits non-zero when a line
is not valid JSON, an id is missing from the tags, ids / message ids / thread
ids repeat, or a label contradicts the recorded signs (suspect needs two or
more signs; tier 1 exactly when the context records an order, a sample order,
a visit or local influence).
"""
import collections
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TYPOLOGIES = ["phish", "fee", "overpay", "escrow", "samples", "419", "urgency",
              "visit", "bigqty", "bigco_freemail", "terse"]
LANGS = ["en", "fr", "es", "pt", "de", "it", "tr", "pl", "nl", "ru", "ar", "ja", "ko", "zh"]


def load(jsonl, tsv):
    inquiries = []
    with open(jsonl, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                inquiries.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"{jsonl}:{n}: {e}")
    with open(tsv, encoding="utf-8") as f:
        tags = {r["id"]: r for r in csv.DictReader(f, delimiter="\t")}
    return inquiries, tags


def problems(inquiries, tags):
    out = []
    for key in ("id", "message_id", "thread_id"):
        values = [q["id"] if key == "id" else q["event"][key] for q in inquiries]
        out += [f"repeated {key} {v}" for v, c in collections.Counter(values).items() if c > 1]
    for q in inquiries:
        t = tags.get(q["id"])
        if t is None:
            out.append(f"{q['id']}: no tags")
            continue
        signs = [s for s in t["signs"].split(",") if s != "-"]
        if q["expect"]["suspect"] != (len(signs) >= 2):
            out.append(f"{q['id']}: suspect={q['expect']['suspect']} but signs {signs}")
        c = q["context"]
        known = c.get("orders", 0) or c.get("sample_orders", 0) or c.get("visited_company") \
            or c.get("local_influence")
        if bool(known) != (q["expect"]["tier"] == 1):
            out.append(f"{q['id']}: tier {q['expect']['tier']} but context {c}")
    return out


def table(title, header, rows):
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")


def main():
    jsonl = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "heldout.jsonl")
    tsv = sys.argv[2] if len(sys.argv) > 2 else os.path.splitext(jsonl)[0] + ".tags.tsv"
    inquiries, tags = load(jsonl, tsv)
    lang = {q["id"]: tags[q["id"]]["language"] for q in inquiries if q["id"] in tags}
    tagset = {i: set(t["tags"].split(",")) for i, t in tags.items()}
    sus = {q["id"] for q in inquiries if q["expect"]["suspect"]}

    print(f"{len(inquiries)} inquiries, {len(sus)} suspect")
    langs = LANGS + sorted(set(lang.values()) - set(LANGS))
    table("Per language", ["language", "inquiries", "suspect", "email", "chat", "marketplace"],
          [[lg, sum(1 for v in lang.values() if v == lg),
            sum(1 for i in sus if lang.get(i) == lg)]
           + [sum(1 for q in inquiries if lang.get(q["id"]) == lg and q["event"]["channel"] == ch)
              for ch in ("email", "chat", "marketplace")]
           for lg in langs if lg in lang.values()])
    rows = []
    for tier in (1, 2, 3, 4):
        at = [q for q in inquiries if q["expect"]["tier"] == tier]
        rows.append([tier, len(at), sum(1 for q in at if q["id"] in sus),
                     sum(1 for q in at if q["id"] not in sus)])
    table("Per tier", ["tier", "inquiries", "suspect", "not suspect"], rows)
    table("Scam typologies and signs (an inquiry may carry several)",
          ["typology", "inquiries", "languages"],
          [[ty, sum(1 for i in sus if ty in tagset[i]),
            len({lang[i] for i in sus if ty in tagset[i]})] for ty in TYPOLOGIES])
    negs = sorted({t for i, ts in tagset.items() if i not in sus for t in ts if t.startswith("neg_")})
    table("Hard negatives (none suspect)", ["kind", "inquiries", "of them suspect"],
          [[n, sum(1 for ts in tagset.values() if n in ts),
            sum(1 for i, ts in tagset.items() if n in ts and i in sus)] for n in negs])
    naming = ["own_lang", "synonym", "sku", "spec", "contacts", "local_influence"]
    table("Product naming and tier-2 evidence", ["tag", "inquiries"],
          [[n, sum(1 for ts in tagset.values() if n in ts)] for n in naming])

    bad = problems(inquiries, tags)
    for p in bad:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
