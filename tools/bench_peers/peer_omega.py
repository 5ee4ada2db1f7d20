"""Xapian Omega (Debian `xapian-omega`): `scriptindex` with an index script (Xapian's own TermGenerator through
the `index` action, boolean terms with Omega's prefixes, value slots), queried in process through python3-xapian:
the same engine as Dixit with the stock tokenizer and the stock facet spies."""
import os
import shutil
import subprocess
import sys

from . import convert, measure
from .corpus import LIKE_TOP
from .peer import Peer, PAGE, top_counts


class Omega(Peer):
    key = "omega"
    title = "Xapian Omega"
    build_method = ("`scriptindex` (Omega 1.4) fed by a Python pipe that converts the JSONL to its dump format; "
                    "`index` (TermGenerator, positions, English stems as `Z` terms: its default), "
                    "`boolean=Q unique=Q` id, `boolean=K`/`A`/`XC` filters, one value slot per tag/country position")
    transport = "in process (python3-xapian)"
    query_methods = {
        "rare": "`QueryParser` (no stemmer, default op AND), `Enquire` with `check_at_least` = all documents "
                "(exact total, as Dixit's `exact_total`), BM25",
        "and2": "as rare: `a b` parsed with default op AND",
        "phrase": "`QueryParser` on `\"a b c\"` (OP_PHRASE)",
        "phrase_tag": "phrase `OP_FILTER` the boolean term `K<tag>`",
        "newest": "`set_sort_by_value_then_relevance(0, reverse)` on the fixed-width date key",
        "facets": "one `ValueCountMatchSpy` per used slot (author; each tag and country position), merged in Python",
        "matchall": "`MatchAll`, date order, the same spies",
        "like": "`OP_OR` of the text's distinct words (unstemmed terms), BM25, default `check_at_least` (the "
                "matcher may skip what cannot reach the page: the total is an estimate)",
    }
    hit_key = "id"

    def __init__(self):
        self.db = None

    def unavailable(self):
        if not shutil.which("scriptindex"):
            return "`scriptindex` not found (Debian package xapian-omega)"
        try:
            import xapian  # noqa: F401
        except ImportError:
            return "python3-xapian is not installed"
        return None

    def build(self, ctx):
        d = self.dir(ctx)
        os.makedirs(d, exist_ok=True)
        script = os.path.join(d, "quotes.script")
        with open(script, "w") as f:
            f.write(convert.omega_script(ctx.info.max_tags, ctx.info.max_countries))
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        cmd = "set -o pipefail; %s -m bench_peers.convert omega %s %s | scriptindex --overwrite %s/db %s > %s/scriptindex.log" % (
            sys.executable, ctx.corpus, ctx.maps_path, d, script, d)
        wall, rss = measure.run_measured(["bash", "-c", cmd], ctx.timeout, env=env)
        return {"seconds": wall, "rss_kb": rss, "index_bytes": measure.dir_bytes(os.path.join(d, "db")),
                "note": "peak RSS is the largest of scriptindex and the converter pipe"}

    def start(self, ctx):
        import xapian
        self.xapian = xapian
        self.db = xapian.Database(os.path.join(self.dir(ctx), "db"))
        self.qp = xapian.QueryParser()
        self.qp.set_database(self.db)
        self.qp.set_default_op(xapian.Query.OP_AND)
        self.docs = self.db.get_doccount()
        self.tag_slots = [s for s in range(100, 100 + ctx.info.max_tags) if self.db.get_value_freq(s)]
        self.country_slots = [s for s in range(200, 200 + ctx.info.max_countries) if self.db.get_value_freq(s)]

    def query(self, q):
        xapian = self.xapian
        cls = q["cls"]
        if cls == "like":
            enquire = xapian.Enquire(self.db)
            enquire.set_query(xapian.Query(xapian.Query.OP_OR, [xapian.Query(w) for w in q["words"]]))
            mset = enquire.get_mset(0, PAGE)
            data = [m.document.get_data() for m in mset]
            return mset.get_matches_estimated(), None, data[:LIKE_TOP]
        if cls == "matchall":
            query = xapian.Query.MatchAll
        elif "phrase" in q:
            query = self.qp.parse_query('"%s"' % " ".join(q["phrase"]), xapian.QueryParser.FLAG_PHRASE)
        else:
            query = self.qp.parse_query(" ".join(q["words"]), 0)
        if q.get("tag"):
            query = xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query("K" + q["tag"]))
        enquire = xapian.Enquire(self.db)
        enquire.set_query(query)
        if cls in ("newest", "matchall"):
            enquire.set_sort_by_value_then_relevance(0, True)
        spies = None
        if cls in ("facets", "matchall"):
            spies = {"author": [xapian.ValueCountMatchSpy(2)],
                     "tag": [xapian.ValueCountMatchSpy(s) for s in self.tag_slots],
                     "country": [xapian.ValueCountMatchSpy(s) for s in self.country_slots]}
            for group in spies.values():
                for spy in group:
                    enquire.add_matchspy(spy)
        mset = enquire.get_mset(0, PAGE, self.docs)
        for m in mset:
            m.document.get_data()
        facets = None
        if spies:
            facets = {}
            for field, group in spies.items():
                counts = {}
                for spy in group:
                    for item in (spy.top_values(10) if len(group) == 1 else spy.values()):
                        counts[item.term] = counts.get(item.term, 0) + item.termfreq
                facets[field] = top_counts(counts.items())
        return mset.get_matches_estimated(), facets

    def parse(self, raw):
        if len(raw) == 3:  # like: the quote ids from the first hits' document data (`id=...` lines)
            ids = []
            for data in raw[2]:
                line = next((l for l in data.decode("utf-8", "replace").split("\n") if l.startswith("id=")), "")
                ids.append(line[3:])
            return raw[0], raw[1], ids
        return raw

    def stop(self):
        if self.db:
            self.db.close()
            self.db = None
