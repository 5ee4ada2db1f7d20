#!/usr/bin/python3
"""Checks an Atom feed of /search.atom with Debian's feedparser (python3-feedparser).

usage: check_atom.py FEED EXPECTED
FEED is the feed's bytes; EXPECTED a JSON object {"title": ..., "entries": [{"id", "title_prefix", "text",
"author", "tags"}...]} made from /search's answer to the same request. Exits 1 with the reasons when the
feed is not well-formed Atom 1.0 or says anything else.
"""
import json
import sys

import feedparser


def main():
    feed_path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    with open(feed_path, "rb") as f:
        parsed = feedparser.parse(f.read())
    problems = []
    if parsed.bozo:
        problems.append("not well-formed: %r" % parsed.bozo_exception)
    if parsed.version != "atom10":
        problems.append("version %r, not atom10" % parsed.version)
    feed = parsed.feed
    for required in ("id", "title", "updated"):
        if not feed.get(required):
            problems.append("the feed has no " + required)
    if feed.get("title") != expected["title"]:
        problems.append("title %r, expected %r" % (feed.get("title"), expected["title"]))
    if len(parsed.entries) != len(expected["entries"]):
        problems.append("%d entries, expected %d" % (len(parsed.entries), len(expected["entries"])))
    for got, want in zip(parsed.entries, expected["entries"]):
        where = "entry %s: " % want["id"]
        if got.get("id") != want["id"]:
            problems.append(where + "id %r" % got.get("id"))
        if not got.get("title", "").startswith(want["title_prefix"]):
            problems.append(where + "title %r" % got.get("title"))
        content = got.get("content") or [{}]
        if content[0].get("value") != want["text"] or content[0].get("type") != "text/plain":
            problems.append(where + "content %r" % content[0])
        if got.get("author") != want["author"]:
            problems.append(where + "author %r" % got.get("author"))
        if not got.get("published_parsed") or not got.get("updated_parsed"):
            problems.append(where + "no published or updated date")
        if [t.get("term") for t in got.get("tags", [])] != want["tags"]:
            problems.append(where + "tags %r" % got.get("tags"))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
