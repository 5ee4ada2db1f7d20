"""SQLite FTS5 through Python's sqlite3: a quotes table, an external-content FTS5 table over its text, and
tag/country link tables for filters and facets. The build runs as a child process
(`python3 -m bench_peers.peer_sqlite build CORPUS DB`) so that its peak RSS is its own."""
import json
import os
import sqlite3
import sys

from . import corpus, measure
from .corpus import LIKE_TOP
from .peer import Peer, PAGE, top_counts

SCHEMA = """
CREATE TABLE quotes(docid INTEGER PRIMARY KEY, id TEXT, text TEXT, author_id INTEGER, author TEXT,
                    said_sort INTEGER, published INTEGER);
CREATE TABLE tags(tag_id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE countries(country_id INTEGER PRIMARY KEY, code TEXT);
CREATE TABLE quote_tags(docid INTEGER, tag_id INTEGER, PRIMARY KEY(docid, tag_id)) WITHOUT ROWID;
CREATE TABLE quote_countries(docid INTEGER, country_id INTEGER, PRIMARY KEY(docid, country_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(text, content='quotes', content_rowid='docid',
                                    tokenize='unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE INDEX quote_tags_by_tag ON quote_tags(tag_id, docid);
CREATE INDEX quote_countries_by_country ON quote_countries(country_id, docid);
CREATE INDEX quotes_by_author ON quotes(author_id);
CREATE INDEX quotes_by_date ON quotes(said_sort DESC, published DESC);
"""


def build_db(corpus_path, db_path, maps_path):
    maps = corpus.load_maps(maps_path)
    con = sqlite3.connect(db_path, isolation_level=None)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-524288;"
                      "PRAGMA temp_store=MEMORY;" + SCHEMA)
    con.execute("BEGIN")
    con.executemany("INSERT INTO tags VALUES(?, ?)", ((i, t) for t, i in maps["tags"].items()))
    con.executemany("INSERT INTO countries VALUES(?, ?)", ((i, c) for c, i in maps["countries"].items()))
    quotes, qtags, qcountries = [], [], []

    def flush():
        con.executemany("INSERT INTO quotes VALUES(?,?,?,?,?,?,?)", quotes)
        con.executemany("INSERT INTO fts(rowid, text) VALUES(?, ?)", ((r[0], r[2]) for r in quotes))
        con.executemany("INSERT INTO quote_tags VALUES(?, ?)", qtags)
        con.executemany("INSERT INTO quote_countries VALUES(?, ?)", qcountries)
        del quotes[:], qtags[:], qcountries[:]

    with open(corpus_path, encoding="utf-8") as f:
        for docid, line in enumerate(f, 1):
            q = json.loads(line)
            author = q["author"]["name"]
            quotes.append((docid, q["id"], q["text"], maps["authors"][author], author,
                           corpus.said_sort(q.get("said_on")), corpus.published_epoch(q.get("published_at"))))
            qtags.extend((docid, maps["tags"][t]) for t in q.get("tags", []))
            qcountries.extend((docid, maps["countries"][c]) for c in q.get("countries", []))
            if len(quotes) >= 10000:
                flush()
    flush()
    con.execute("COMMIT")
    con.executescript(INDEXES)
    con.execute("INSERT INTO fts(fts) VALUES('optimize')")
    con.execute("ANALYZE")
    con.close()


class Sqlite(Peer):
    key = "sqlite"
    title = "SQLite FTS5"
    build_method = ("Python `sqlite3` (SQLite %s), one transaction, journal off; FTS5 `unicode61 remove_diacritics 2` "
                    "(external content), link tables for tags/countries, B-tree indexes after the load, "
                    "FTS5 `optimize`" % sqlite3.sqlite_version)
    transport = "in process (Python sqlite3)"
    query_methods = {
        "rare": "`fts MATCH` + `ORDER BY rank` (bm25) `LIMIT 20`, and `count(*)`",
        "and2": "as rare, `MATCH '\"a\" \"b\"'`",
        "phrase": "as rare, `MATCH '\"a b c\"'`",
        "phrase_tag": "as phrase, joined with `quote_tags` on `tag_id`",
        "newest": "`docid IN (fts MATCH)` `ORDER BY said_sort DESC, published DESC LIMIT 20`, and `count(*)`",
        "facets": "matches into a temp table, then `GROUP BY` over the link tables / author column, `LIMIT 10` each, "
                  "plus the ranked page",
        "matchall": "`GROUP BY` on the covering indexes of the link tables and author, newest page from the date index",
        "like": "`MATCH '\"w1\" OR \"w2\" OR ...'` (the text's distinct words) `ORDER BY rank` (bm25) `LIMIT 20`, "
                "no `count(*)`",
    }

    def __init__(self):
        self.con = None

    def unavailable(self):
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.Error as e:
            return "this Python's sqlite3 has no FTS5: %s" % e
        return None

    def build(self, ctx):
        os.makedirs(self.dir(ctx), exist_ok=True)
        db = os.path.join(self.dir(ctx), "quotes.db")
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        wall, rss = measure.run_measured([sys.executable, "-m", "bench_peers.peer_sqlite", "build", ctx.corpus, db,
                                          ctx.maps_path], ctx.timeout, env=env)
        return {"seconds": wall, "rss_kb": rss, "index_bytes": measure.dir_bytes(db), "note": ""}

    def start(self, ctx):
        self.con = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.dir(ctx), "quotes.db"), uri=True)
        self.con.executescript("PRAGMA cache_size=-524288; PRAGMA mmap_size=4294967296; PRAGMA temp_store=MEMORY;")
        self.con.execute("ATTACH ':memory:' AS scratch")
        self.con.execute("CREATE TABLE scratch.m(docid INTEGER PRIMARY KEY)")

    def query(self, q):
        cur = self.con.cursor()
        cls = q["cls"]
        if cls == "matchall":
            return self.matchall(cur)
        if cls == "like":  # the words are ASCII letters only: quoted, none is read as an operator
            rows = self.ranked(cur, " OR ".join('"%s"' % w for w in q["words"]))
            return None, None, [r[0] for r in rows[:LIKE_TOP]]
        match = ('"%s"' % " ".join(q["phrase"])) if "phrase" in q else " ".join('"%s"' % w for w in q["words"])
        if cls == "phrase_tag":
            tag_id = self.tag_id(q["tag"])
            total = cur.execute("SELECT count(*) FROM fts JOIN quote_tags t ON t.docid = fts.rowid "
                                "WHERE fts MATCH ? AND t.tag_id = ?", (match, tag_id)).fetchone()[0]
            cur.execute("SELECT q.docid, q.text, q.author, q.said_sort FROM fts JOIN quote_tags t ON t.docid = fts.rowid "
                        "JOIN quotes q ON q.docid = fts.rowid WHERE fts MATCH ? AND t.tag_id = ? ORDER BY rank LIMIT ?",
                        (match, tag_id, PAGE)).fetchall()
            return total, None
        if cls == "newest":
            total = cur.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
            cur.execute("SELECT docid, text, author, said_sort FROM quotes WHERE docid IN "
                        "(SELECT rowid FROM fts WHERE fts MATCH ?) ORDER BY said_sort DESC, published DESC LIMIT ?",
                        (match, PAGE)).fetchall()
            return total, None
        if cls == "facets":
            cur.execute("DELETE FROM scratch.m")
            cur.execute("INSERT INTO scratch.m SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
            total = cur.execute("SELECT count(*) FROM scratch.m").fetchone()[0]
            facets = self.facets(cur, "scratch.m")
            self.ranked(cur, match)
            return total, facets
        total = cur.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        self.ranked(cur, match)
        return total, None

    def ranked(self, cur, match):
        return cur.execute("SELECT q.docid, q.text, q.author, q.said_sort FROM fts JOIN quotes q ON q.docid = fts.rowid "
                           "WHERE fts MATCH ? ORDER BY rank LIMIT ?", (match, PAGE)).fetchall()

    def facets(self, cur, matches):
        tag = cur.execute("SELECT t.name, count(*) c FROM %s m JOIN quote_tags qt ON qt.docid = m.docid "
                          "JOIN tags t ON t.tag_id = qt.tag_id GROUP BY qt.tag_id ORDER BY c DESC LIMIT 10" % matches)
        tag = tag.fetchall()
        author = cur.execute("SELECT q.author_id, count(*) c FROM %s m JOIN quotes q ON q.docid = m.docid "
                             "GROUP BY q.author_id ORDER BY c DESC LIMIT 10" % matches).fetchall()
        country = cur.execute("SELECT c.code, count(*) n FROM %s m JOIN quote_countries qc ON qc.docid = m.docid "
                              "JOIN countries c ON c.country_id = qc.country_id GROUP BY qc.country_id "
                              "ORDER BY n DESC LIMIT 10" % matches).fetchall()
        return {"tag": top_counts(tag), "author": top_counts(author), "country": top_counts(country)}

    def matchall(self, cur):
        total = cur.execute("SELECT count(*) FROM quotes").fetchone()[0]
        tag = cur.execute("SELECT tag_id, count(*) c FROM quote_tags INDEXED BY quote_tags_by_tag GROUP BY tag_id "
                          "ORDER BY c DESC LIMIT 10").fetchall()
        author = cur.execute("SELECT author_id, count(*) c FROM quotes GROUP BY author_id ORDER BY c DESC LIMIT 10").fetchall()
        country = cur.execute("SELECT country_id, count(*) c FROM quote_countries INDEXED BY quote_countries_by_country "
                              "GROUP BY country_id ORDER BY c DESC LIMIT 10").fetchall()
        cur.execute("SELECT docid, text, author, said_sort FROM quotes ORDER BY said_sort DESC, published DESC LIMIT ?",
                    (PAGE,)).fetchall()
        return total, {"tag": top_counts(tag), "author": top_counts(author), "country": top_counts(country)}

    def tag_id(self, tag):
        row = self.con.execute("SELECT tag_id FROM tags WHERE name = ?", (tag,)).fetchone()
        return row[0] if row else -1

    def stop(self):
        if self.con:
            self.con.close()
            self.con = None


if __name__ == "__main__" and sys.argv[1:2] == ["build"]:
    build_db(*sys.argv[2:5])
