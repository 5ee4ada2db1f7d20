"""PostgreSQL 15 full-text search (Debian `postgresql`): a throwaway cluster in a temporary directory, listening on
a loopback port only (its Unix socket in that directory too), started and stopped by this tool; a stored
generated tsvector column (`simple` configuration: no stemming, no stop words) with a GIN index. Run as an
unprivileged system user when this tool runs as root (PostgreSQL refuses root)."""
import json
import os
import pwd
import subprocess
import sys
import tempfile
import time

from . import corpus, measure
from .corpus import LIKE_TOP
from .peer import Peer, PAGE, top_counts

PG_BIN = "/usr/lib/postgresql/15/bin"
USER = "dixitbench"
SETTINGS = {
    "listen_addresses": "127.0.0.1", "shared_buffers": "1GB", "maintenance_work_mem": "1GB", "work_mem": "64MB",
    "wal_level": "minimal", "max_wal_senders": "0", "synchronous_commit": "off", "max_wal_size": "8GB",
    "checkpoint_timeout": "30min", "jit": "off", "effective_cache_size": "8GB", "random_page_cost": "1.1",
    "logging_collector": "off",
}
SCHEMA = """
CREATE TABLE quotes(docid int PRIMARY KEY, id text, text text, author_id int, author text, said_sort int,
                    published bigint, tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED);
CREATE TABLE quote_tags(docid int, tag_id int);
CREATE TABLE quote_countries(docid int, country_id int);
CREATE TABLE tags(tag_id int PRIMARY KEY, name text);
"""
INDEXES = """
CREATE INDEX quotes_tsv ON quotes USING gin(tsv);
CREATE INDEX quotes_by_date ON quotes(said_sort DESC, published DESC);
CREATE INDEX quotes_by_author ON quotes(author_id);
CREATE INDEX quote_tags_by_doc ON quote_tags(docid, tag_id);
CREATE INDEX quote_tags_by_tag ON quote_tags(tag_id, docid);
CREATE INDEX quote_countries_by_doc ON quote_countries(docid, country_id);
CREATE INDEX quote_countries_by_country ON quote_countries(country_id, docid);
"""


def copy_escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Rows:
    """A file-like object that COPY reads: the corpus as tab-separated rows, made as they are read."""

    def __init__(self, lines):
        self.lines, self.buf = lines, ""

    def read(self, size=65536):
        out = [self.buf]
        n = len(self.buf)
        for line in self.lines:
            out.append(line)
            n += len(line)
            if n >= size:
                break
        data = "".join(out)
        self.buf = data[size:]
        return data[:size]

    readline = read


def load(port, corpus_path, maps_path):
    """The bulk load, run as a child process: tables and COPY in one transaction (no WAL with wal_level minimal),
    indexes after the load, VACUUM ANALYZE. Prints the backend's peak RSS (KiB) as JSON."""
    import psycopg2
    maps = corpus.load_maps(maps_path)
    con = psycopg2.connect(host="127.0.0.1", port=port, user=USER, dbname="postgres")
    cur = con.cursor()
    cur.execute("SELECT pg_backend_pid()")
    backend = cur.fetchone()[0]
    cur.execute(SCHEMA)
    cur.copy_expert("COPY tags FROM STDIN", Rows("%d\t%s\n" % (i, copy_escape(t)) for t, i in maps["tags"].items()))
    tag_rows, country_rows = [], []

    def quotes():
        with open(corpus_path, encoding="utf-8") as f:
            for docid, line in enumerate(f, 1):
                q = json.loads(line)
                author = q["author"]["name"]
                tag_rows.extend("%d\t%d\n" % (docid, maps["tags"][t]) for t in q.get("tags", []))
                country_rows.extend("%d\t%d\n" % (docid, maps["countries"][c]) for c in q.get("countries", []))
                yield "%d\t%s\t%s\t%d\t%s\t%d\t%d\n" % (
                    docid, copy_escape(q["id"]), copy_escape(q["text"]), maps["authors"][author], copy_escape(author),
                    corpus.said_sort(q.get("said_on")), corpus.published_epoch(q.get("published_at")))

    cur.copy_expert("COPY quotes(docid, id, text, author_id, author, said_sort, published) FROM STDIN", Rows(quotes()))
    cur.copy_expert("COPY quote_tags FROM STDIN", Rows(iter(tag_rows)))
    cur.copy_expert("COPY quote_countries FROM STDIN", Rows(iter(country_rows)))
    cur.execute(INDEXES)
    con.commit()
    con.autocommit = True
    cur.execute("VACUUM ANALYZE")
    print(json.dumps({"backend_hwm_kb": measure.vm_hwm_kb(backend)}))
    con.close()


class Postgres(Peer):
    key = "postgres"
    title = "PostgreSQL 15"
    build_method = ("COPY from a Python client (psycopg2) into a table with a stored generated "
                    "`to_tsvector('simple', text)` column, in the transaction that creates it (no WAL); GIN and B-tree "
                    "indexes after the load; VACUUM ANALYZE. `shared_buffers` 1GB, `maintenance_work_mem` 1GB, "
                    "`synchronous_commit` off, `jit` off")
    transport = "libpq (psycopg2) over loopback TCP"
    query_methods = {
        "rare": "`tsv @@ plainto_tsquery('simple', w)` `ORDER BY ts_rank(...) DESC LIMIT 20`, and `count(*)`",
        "and2": "as rare, `plainto_tsquery('simple', 'a b')` (a & b)",
        "phrase": "as rare, `phraseto_tsquery('simple', 'a b c')` (a <-> b <-> c)",
        "phrase_tag": "phrase `AND docid IN (SELECT docid FROM quote_tags WHERE tag_id = ...)`",
        "newest": "`tsv @@ ...` `ORDER BY said_sort DESC, published DESC LIMIT 20`, and `count(*)`",
        "facets": "one statement: the matches as a MATERIALIZED CTE, total and three `GROUP BY ... LIMIT 10` joined "
                  "by UNION ALL; plus the ranked page",
        "matchall": "`count(*)`, `GROUP BY` on the link tables and author (index-only scans), newest page by index",
        "like": "`tsv @@ to_tsquery('simple', 'w1 | w2 | ...')` (the text's distinct words) "
                "`ORDER BY ts_rank(...) DESC LIMIT 20`, no `count(*)`",
    }

    def __init__(self):
        self.proc = None
        self.conn = None
        self.backend = None

    def unavailable(self):
        for tool in ("initdb", "postgres"):
            if not os.path.exists(os.path.join(PG_BIN, tool)):
                return "%s/%s not found (Debian package postgresql-15)" % (PG_BIN, tool)
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            return "python3-psycopg2 is not installed"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(USER)
            except KeyError:
                r = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    return "running as root and could not create the user %s: %s" % (USER, r.stderr.strip())
        return None

    def as_user(self):
        """preexec_fn that drops to the unprivileged user when running as root."""
        if os.geteuid() != 0:
            return None
        entry = pwd.getpwnam(USER)

        def drop():
            os.setgid(entry.pw_gid)
            os.setgroups([])
            os.setuid(entry.pw_uid)
        return drop

    def dir(self, ctx):
        """The cluster's own directory under the system's temporary directory, not in the work directory: the
        unprivileged server user must be able to reach it, and a work directory may sit under /root."""
        if not getattr(self, "base", None):
            self.base = tempfile.mkdtemp(prefix="bench-peers-pg-")
            os.chmod(self.base, 0o700)
            if os.geteuid() == 0:
                entry = pwd.getpwnam(USER)
                os.chown(self.base, entry.pw_uid, entry.pw_gid)
        return self.base

    def prepare_dirs(self, ctx):
        return self.dir(ctx)

    def start_server(self, ctx):
        d = self.dir(ctx)
        self.port = measure.free_port()
        args = [os.path.join(PG_BIN, "postgres"), "-D", os.path.join(d, "data"), "-p", str(self.port),
                "-c", "unix_socket_directories=%s" % d]
        for k, v in SETTINGS.items():
            args += ["-c", "%s=%s" % (k, v)]
        self.log = open(os.path.join(d, "postgres.log"), "ab")
        env = dict(os.environ, HOME=d, LC_ALL="C")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=d,
                                     preexec_fn=self.as_user(), start_new_session=True)
        measure.wait_for_port(self.port, min(ctx.timeout, 120), self.proc)
        import psycopg2
        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg2.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres").close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def build(self, ctx):
        d = self.prepare_dirs(ctx)
        env = dict(os.environ, LC_ALL="C", HOME=d)
        measure.run_measured([os.path.join(PG_BIN, "initdb"), "-D", os.path.join(d, "data"), "-U", USER,
                              "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], min(ctx.timeout, 300),
                             env=env, cwd=d, preexec_fn=self.as_user(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.start_server(ctx)
        out = os.path.join(d, "load.json")
        penv = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with open(out, "w") as f:
            wall, client_rss = measure.run_measured(
                [sys.executable, "-m", "bench_peers.peer_postgres", "load", str(self.port), ctx.corpus,
                 ctx.maps_path], ctx.timeout, env=penv, stdout=f)
        backend = json.load(open(out))["backend_hwm_kb"] or 0
        return {"seconds": wall, "rss_kb": backend, "index_bytes": measure.dir_bytes(os.path.join(d, "data", "base")),
                "note": "peak RSS of the backend that loaded (shared buffers it touched included); "
                        "the Python client's was %d MB" % (client_rss // 1024)}

    def start(self, ctx):
        import psycopg2
        if self.proc is None or self.proc.poll() is not None:
            self.start_server(ctx)
        self.conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres",
                                     options="-c statement_timeout=600000")
        self.conn.autocommit = True
        cur = self.conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        self.backend = cur.fetchone()[0]
        cur.execute("SELECT tag_id, name FROM tags")
        self.tags = {name: i for i, name in cur.fetchall()}

    def query(self, q):
        cur = self.conn.cursor()
        cls = q["cls"]
        if cls == "matchall":
            return self.matchall(cur)
        if cls == "like":  # the words are ASCII letters only: nothing for to_tsquery to read as an operator
            cur.execute("SELECT docid, text, author, said_sort FROM quotes WHERE tsv @@ to_tsquery('simple', %s) "
                        "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC LIMIT " + str(PAGE),
                        [" | ".join(q["words"])] * 2)
            return None, None, [r[0] for r in cur.fetchall()[:LIKE_TOP]]
        if "phrase" in q:
            tsq, arg = "phraseto_tsquery('simple', %s)", " ".join(q["phrase"])
        else:
            tsq, arg = "plainto_tsquery('simple', %s)", " ".join(q["words"])
        where, args = "tsv @@ " + tsq, [arg]
        if cls == "phrase_tag":
            where += " AND docid IN (SELECT docid FROM quote_tags WHERE tag_id = %s)"
            args.append(self.tags.get(q["tag"], -1))
        if cls == "facets":
            cur.execute(
                "WITH m AS MATERIALIZED (SELECT docid, author_id FROM quotes WHERE %s) "
                "SELECT 'total', 0, count(*) FROM m "
                "UNION ALL (SELECT 'tag', t.tag_id, count(*) FROM m JOIN quote_tags t USING (docid) GROUP BY t.tag_id "
                "ORDER BY 3 DESC LIMIT 10) "
                "UNION ALL (SELECT 'author', author_id, count(*) FROM m GROUP BY author_id ORDER BY 3 DESC LIMIT 10) "
                "UNION ALL (SELECT 'country', c.country_id, count(*) FROM m JOIN quote_countries c USING (docid) "
                "GROUP BY c.country_id ORDER BY 3 DESC LIMIT 10)" % where, args)
            rows = cur.fetchall()
            self.ranked(cur, where, tsq, args)
            return self.split(rows)
        cur.execute("SELECT count(*) FROM quotes WHERE " + where, args)
        total = cur.fetchone()[0]
        if cls == "newest":
            cur.execute("SELECT docid, text, author, said_sort FROM quotes WHERE %s "
                        "ORDER BY said_sort DESC, published DESC LIMIT %d" % (where, PAGE), args)
            cur.fetchall()
        else:
            self.ranked(cur, where, tsq, args)
        return total, None

    def ranked(self, cur, where, tsq, args):
        cur.execute("SELECT docid, text, author, said_sort FROM quotes WHERE %s ORDER BY ts_rank(tsv, %s) DESC LIMIT %d"
                    % (where, tsq, PAGE), args + [args[0]])
        cur.fetchall()

    @staticmethod
    def split(rows):
        total = next(c for kind, _, c in rows if kind == "total")
        facets = {f: top_counts((v, c) for kind, v, c in rows if kind == f) for f in ("tag", "author", "country")}
        return total, facets

    def matchall(self, cur):
        cur.execute(
            "SELECT 'total', 0, count(*) FROM quotes "
            "UNION ALL (SELECT 'tag', tag_id, count(*) FROM quote_tags GROUP BY tag_id ORDER BY 3 DESC LIMIT 10) "
            "UNION ALL (SELECT 'author', author_id, count(*) FROM quotes GROUP BY author_id ORDER BY 3 DESC LIMIT 10) "
            "UNION ALL (SELECT 'country', country_id, count(*) FROM quote_countries GROUP BY country_id "
            "ORDER BY 3 DESC LIMIT 10)")
        rows = cur.fetchall()
        cur.execute("SELECT docid, text, author, said_sort FROM quotes ORDER BY said_sort DESC, published DESC LIMIT %d"
                    % PAGE)
        cur.fetchall()
        return self.split(rows)

    def server_rss_kb(self):
        """The largest VmHWM of the postmaster and its children (the query backend, autovacuum...)."""
        if not self.proc:
            return None
        best = measure.vm_hwm_kb(self.proc.pid) or 0
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open("/proc/%s/stat" % pid) as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                if ppid == self.proc.pid:
                    best = max(best, measure.vm_hwm_kb(int(pid)) or 0)
        return best

    def stop(self):
        if self.conn:
            self.conn.close()
            self.conn = None
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT: PostgreSQL's fast shutdown
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                measure.kill_group(self.proc.pid)
                self.proc.wait()
        self.proc = None


if __name__ == "__main__" and sys.argv[1:2] == ["load"]:
    load(int(sys.argv[2]), sys.argv[3], sys.argv[4])
