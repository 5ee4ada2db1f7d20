"""Sphinx 2.2 (Debian `sphinxsearch`): its own `indexer` reads a tsvpipe source (the corpus converted on the
fly by bench_peers.convert), then its `searchd` serves the plain index on a loopback SphinxQL port."""
import os
import shutil
import subprocess
import sys
import time

from . import measure
from .corpus import LIKE_TOP
from .peer import ServerPeer, PAGE, top_counts


def like_quorum(words):
    """Sphinx's quorum threshold for a like text: 30% of its distinct words, rounded up."""
    return max(1, -(-3 * len(words) // 10))

# Sphinx 2.2.11 has no `non_cjk` alias: English and Russian as in its default table, plus Latin-1 and
# Latin Extended-A letters (the corpus has de, es, it, pt, pl, cs, sk), CJK as one-character n-grams.
CHARSET = ("0..9, A..Z->a..z, _, a..z, U+410..U+42F->U+430..U+44F, U+430..U+44F, U+401->U+451, U+451, "
           "U+C0..U+D6->U+E0..U+F6, U+D8..U+DE->U+F8..U+FE, U+DF..U+F6, U+F8..U+FF, U+100..U+17F")
NGRAM = "U+3040..U+30FF, U+3400..U+4DBF, U+4E00..U+9FFF"

CONFIG = """
source quotes_src
{{
    type = tsvpipe
    tsvpipe_command = {python} -m bench_peers.convert tsv {corpus} {maps}
    tsvpipe_field_string = text
    tsvpipe_attr_uint = author
    tsvpipe_attr_multi = tags
    tsvpipe_attr_multi = countries
    tsvpipe_attr_uint = said_sort
    tsvpipe_attr_timestamp = published
}}
index quotes
{{
    source = quotes_src
    path = {dir}/quotes
    docinfo = extern
    charset_table = {charset}
    ngram_len = 1
    ngram_chars = {ngram}
}}
indexer
{{
    mem_limit = 512M
}}
searchd
{{
    listen = 127.0.0.1:{port}:mysql41
    log = {dir}/searchd.log
    query_log = {dir}/query.log
    pid_file = {dir}/searchd.pid
    binlog_path =
    workers = threads
    watchdog = 0
    max_matches = 100000
}}
"""


class Sphinx(ServerPeer):
    key = "sphinx"
    title = "Sphinx 2.2"
    build_method = ("`indexer` (Sphinx 2.2.11) from a tsvpipe source (JSONL converted on the fly by a Python pipe), "
                    "plain index, `mem_limit` 512M; text as field + string attribute, tags/countries as MVA")
    transport = "SphinxQL (MySQL protocol, pymysql) over loopback"
    query_methods = {
        "rare": "`MATCH('w') LIMIT 20` (ranker proximity_bm25), `total_found` from `SHOW META`",
        "and2": "`MATCH('a b')`",
        "phrase": "`MATCH('\"a b c\"')`",
        "phrase_tag": "`MATCH('\"a b c\"') AND tags = ID` (MVA)",
        "newest": "`MATCH('w') ORDER BY said_sort DESC, published DESC`",
        "facets": "`MATCH('w') ... FACET tags / author / countries ORDER BY COUNT(*) DESC LIMIT 10` "
                  "(one batch), `max_matches` 100000 so that group counts are exact",
        "matchall": "empty match, newest first, the same three `FACET`s",
        "like": "quorum `MATCH('\"w1 w2 ...\"/N')` over the text's distinct words, N = 30% of them rounded up "
                "(by count; Dixit weighs words by rarity), ranker proximity_bm25",
    }

    def unavailable(self):
        for tool in ("indexer", "searchd"):
            if not shutil.which(tool):
                return "`%s` not found (Debian package sphinxsearch)" % tool
        try:
            import pymysql  # noqa: F401
        except ImportError:
            return "python3-pymysql is not installed"
        return None

    def config(self, ctx):
        d = self.dir(ctx)
        os.makedirs(d, exist_ok=True)
        self.port = measure.free_port()
        path = os.path.join(d, "sphinx.conf")
        with open(path, "w") as f:
            f.write(CONFIG.format(python=sys.executable, corpus=ctx.corpus, maps=ctx.maps_path, dir=d, port=self.port,
                                  charset=CHARSET, ngram=NGRAM))
        return path

    def build(self, ctx):
        conf = self.config(ctx)
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        log = open(os.path.join(self.dir(ctx), "indexer.log"), "wb")
        wall, rss = measure.run_measured(["indexer", "--config", conf, "--all"], ctx.timeout, env=env,
                                         stdout=log, stderr=subprocess.STDOUT)
        size = sum(os.path.getsize(os.path.join(self.dir(ctx), f)) for f in os.listdir(self.dir(ctx))
                   if f.startswith("quotes."))
        return {"seconds": wall, "rss_kb": rss, "index_bytes": size,
                "note": "peak RSS is the largest of indexer and the converter pipe"}

    def start(self, ctx):
        import pymysql
        conf = self.config(ctx)
        self.proc = subprocess.Popen(["searchd", "--config", conf, "--nodetach"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        measure.wait_for_port(self.port, min(ctx.timeout, 300), self.proc)
        deadline = time.monotonic() + min(ctx.timeout, 300)
        while True:  # the port opens before the index is preloaded
            try:
                self.conn = pymysql.connect(host="127.0.0.1", port=self.port, user="", password="", autocommit=True,
                                            read_timeout=600, write_timeout=600)
                self.conn.cursor().execute("SELECT id FROM quotes LIMIT 1")
                break
            except pymysql.err.MySQLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def query(self, q):
        cur = self.conn.cursor()
        cls = q["cls"]
        if cls == "matchall":
            match = ""
        elif cls == "like":
            match = '"%s"/%d' % (" ".join(q["words"]), like_quorum(q["words"]))
        elif "phrase" in q:
            match = '"%s"' % " ".join(q["phrase"])
        else:
            match = " ".join(q["words"])
        where = "WHERE MATCH(%s)" if match else ""
        args = (match,) if match else ()
        if cls == "phrase_tag":
            where += " AND tags = %d" % self.maps_tags.get(q["tag"], 0)
        order = " ORDER BY said_sort DESC, published DESC" if cls in ("newest", "matchall") else ""
        facets = ""
        if cls in ("facets", "matchall"):
            facets = "".join(" FACET %s ORDER BY COUNT(*) DESC LIMIT 10" % a for a in ("tags", "author", "countries"))
        cur.execute("SELECT id, text, author, said_sort FROM quotes %s%s LIMIT %d OPTION max_matches=100000%s"
                    % (where, order, PAGE, facets), args)
        rows = cur.fetchall()
        counts = None
        if facets:
            counts = {}
            for field in ("tag", "author", "country"):
                cur.nextset()
                counts[field] = top_counts((row[0], row[-1]) for row in cur.fetchall())
        cur.execute("SHOW META")
        meta = dict(cur.fetchall())
        if cls == "like":
            return int(meta["total_found"]), None, [int(r[0]) for r in rows[:LIKE_TOP]]
        return int(meta["total_found"]), counts

    def prepare(self, maps):
        self.maps_tags = maps["tags"]

