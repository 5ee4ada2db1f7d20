"""Dixit: dixit-indexer rebuild, then dixit-searchd on a loopback port, queried over HTTP keep-alive."""
import http.client
import json
import os
import re
import subprocess
import time
import urllib.parse

from . import measure
from .corpus import LIKE_TOP
from .peer import ServerPeer, PAGE

TOOK = re.compile(rb'"took_ms":([0-9.]+)')


class Dixit(ServerPeer):
    key = "dixit"
    title = "Dixit"
    build_method = ("`dixit-indexer rebuild` (index layout 4: ICU tokenizer, words without positions and their "
                    "order in a value slot (held in searchd's memory), common grams as filters, a stem table, facet "
                    "slots, a binary record, no term lists; one shard thread per core, merged by compaction)")
    transport = "HTTP/1.1 keep-alive over loopback (JSON with highlights)"
    query_methods = {
        "rare": "`q=w&verbatim=true&exact_total=true`",
        "and2": "`q=a b&verbatim=true&exact_total=true`",
        "phrase": "`q=\"a b c\"&exact_total=true`",
        "phrase_tag": "`q=\"a b c\"&tag=T&exact_total=true`",
        "newest": "`q=w&verbatim=true&sort=newest&exact_total=true`",
        "facets": "`q=w&verbatim=true&facets=tag,author,country&facet_size=10`",
        "matchall": "`facets=tag,author,country&facet_size=10` (newest first)",
        "like": "`like=TEXT` (the perturbed text as typed; its defaults: `min_share` 0.5, inflections and "
                "spelling corrections of the words), relevance order",
    }
    hit_key = "id"

    def __init__(self):
        super().__init__()
        self.port = None
        self.no_like = None

    def bin(self, ctx, name):
        return os.path.join(ctx.args.bin, name)

    def unavailable(self):
        return None  # checked by main before the run: Dixit's row is required

    def build(self, ctx):
        db = self.dir(ctx)
        wall, rss = measure.run_measured([self.bin(ctx, "dixit-indexer"), "rebuild", "--db", db, "--progress", "false",
                                          ctx.corpus], ctx.timeout, stdout=subprocess.DEVNULL)
        return {"seconds": wall, "rss_kb": rss, "index_bytes": measure.dir_bytes(db), "note": ""}

    def start(self, ctx, cache_bytes=0):
        self.stop()
        log = os.path.join(ctx.work, "dixit-searchd.log")
        self.log = open(log, "wb")
        self.proc = subprocess.Popen([self.bin(ctx, "dixit-searchd"), "--db", self.dir(ctx), "--listen", "127.0.0.1:0",
                                      "--cache-bytes", str(cache_bytes)],
                                     stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + min(ctx.timeout, 120)
        while self.port is None:
            if self.proc.poll() is not None:
                raise RuntimeError("dixit-searchd exited with status %s: %s" % (self.proc.returncode,
                                                                                 open(log).read()[-500:]))
            if time.monotonic() > deadline:
                raise measure.PhaseTimeout("dixit-searchd printed no listening line")
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(log, errors="replace").read())
            if m:
                self.port = int(m.group(1))
            else:
                time.sleep(0.05)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def get(self, target):
        self.conn.request("GET", target)
        resp = self.conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError("GET %s: %d %s" % (target, resp.status, body[:200]))
        return body

    def warm(self, timeout=120):
        """Waits for the in-memory columns: they are built in the background after the first facet request."""
        self.get("/search?facets=tag&per_page=1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            start = time.monotonic()
            self.get("/search?facets=tag,author,country&per_page=1")
            if time.monotonic() - start < 0.2:
                break
            time.sleep(1)
        time.sleep(1)

    def unsupported(self, cls):
        """like= is newer than bench-peers: a dixit-searchd without it answers 400 (unknown parameter)."""
        if cls != "like":
            return None
        if self.no_like is None:
            self.conn.request("GET", "/search?like=half+remembered+words&per_page=1")
            resp = self.conn.getresponse()
            body = resp.read()
            self.no_like = ""
            if resp.status == 400 and b"'like': unknown parameter" in body:
                self.no_like = "this dixit-searchd has no `like=` (400: unknown parameter)"
            elif resp.status != 200:
                raise RuntimeError("GET /search?like=...: %d %s" % (resp.status, body[:200]))
        return self.no_like or None

    @staticmethod
    def target(q):
        params = []
        cls = q["cls"]
        if cls == "matchall":
            return "/search?facets=tag,author,country&facet_size=10&per_page=%d" % PAGE
        if cls == "like":
            return "/search?" + urllib.parse.urlencode([("like", q["text"]), ("per_page", str(PAGE))],
                                                       quote_via=urllib.parse.quote)
        if "phrase" in q:
            params.append(("q", '"%s"' % " ".join(q["phrase"])))
        else:
            params.append(("q", " ".join(q["words"])))
            params.append(("verbatim", "true"))
        if q.get("tag"):
            params.append(("tag", q["tag"]))
        if cls == "newest":
            params.append(("sort", "newest"))
        if cls == "facets":
            params += [("facets", "tag,author,country"), ("facet_size", "10")]
        else:
            params.append(("exact_total", "true"))
        params.append(("per_page", str(PAGE)))
        return "/search?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)

    def query(self, q):
        return self.get(self.target(q))

    def server_ms(self, body):
        """The server's own time for the request (`took_ms`: search, facets, highlights, JSON; no HTTP)."""
        m = TOOK.search(body)
        return float(m.group(1)) if m else None

    def parse(self, body):
        d = json.loads(body)
        facets = None
        if "facets" in d:
            facets = {f: sorted((v["count"] for v in d["facets"].get(f, [])), reverse=True)
                      for f in ("tag", "author", "country")}
        return d["total"], facets, [h["id"] for h in d.get("hits", [])[:LIKE_TOP]]

    def stop(self):
        super().stop()
        self.port = None
