"""What every engine under test provides: build, start, answer a logical query, stop."""
import shutil

from . import measure

FACET_FIELDS = ("tag", "author", "country")
PAGE = 20  # hits fetched per query, as Dixit's default per_page


class Context:
    """Shared settings of a run: paths, the corpus, its dictionaries and the time limit of a phase."""

    def __init__(self, args, work, corpus, maps_path, info):
        self.args = args
        self.work = work
        self.corpus = corpus
        self.maps_path = maps_path
        self.info = info
        self.timeout = args.timeout


class Peer:
    """One engine. query() runs a logical query the engine's own best way, fetches the first PAGE hits with their
    text, and returns (exact total, facets) where facets maps a field to the counts of its 10 top values
    (descending) or is None. A like query returns (total or None, None, top): top identifies the first
    LIKE_TOP hits (in what parse() makes of it), and its total need not be exact (it is not compared)."""

    key = "?"
    title = "?"
    build_method = ""
    query_methods = {}  # class key -> how this engine answers it
    transport = ""      # in process, SQL over loopback TCP, HTTP over loopback TCP
    hit_key = "docid"   # what the hit identifiers of a like answer are: the query's `docid` (line number) or `id`

    def unavailable(self):
        """None when the engine can run here, else the reason it is skipped."""
        return None

    def build(self, ctx):
        """Bulk-loads ctx.corpus; returns {seconds, rss_kb, index_bytes, note}."""
        raise NotImplementedError

    def start(self, ctx):
        """Starts the server or opens the index."""

    def prepare(self, maps):
        """Receives the corpus dictionaries (tag, author, country ids) before the queries."""

    def warm(self):
        """Anything to wait for before timing (Dixit's columns)."""

    def unsupported(self, cls):
        """None when the engine answers the query class cls, else the reason it does not (asked after start())."""
        return None

    def query(self, q):
        raise NotImplementedError

    def parse(self, raw):
        """(total, facets) from what query() returned, or (total, facets, top) with the identifiers (hit_key) of
        the first hits for a like query; called after the clock stopped."""
        return raw

    def server_ms(self, raw):
        """The engine's own time for a query as it reports it (ms), when it does."""
        return None

    def server_rss_kb(self):
        """Peak RSS of the serving process(es), KiB, or None when the engine runs in this process."""
        return None

    def stop(self):
        """Stops what start() started; must be safe to call twice and after a failed start."""

    def cleanup(self, ctx):
        """Removes the index (the next peer needs the disk and the page cache)."""
        shutil.rmtree(self.dir(ctx), ignore_errors=True)

    def dir(self, ctx):
        return "%s/%s" % (ctx.work, self.key)


class ServerPeer(Peer):
    """An engine that runs as a server process of its own (self.proc) queried over one connection (self.conn)."""

    def __init__(self):
        self.proc = None
        self.conn = None

    def server_rss_kb(self):
        return measure.vm_hwm_kb(self.proc.pid) if self.proc and self.proc.poll() is None else None

    def stop(self):
        if self.conn:
            self.conn.close()
            self.conn = None
        measure.stop_process(self.proc)
        self.proc = None


def top_counts(pairs, n=10):
    """Counts of the n most frequent values of (value, count) pairs, descending: what is compared between
    engines (values with equal counts may come in any order)."""
    return sorted((c for _, c in pairs), reverse=True)[:n]
