"""bench-peers: Dixit and its peers on one generated corpus, the same logical queries, one machine, one run."""
import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback

from . import corpus, measure, report
from .corpus import CLASSES, CLASS_TITLES, COMPARED, LIKE_KINDS, LIKE_TOP
from .peer import Context
from .peer_dixit import Dixit
from .peer_omega import Omega
from .peer_postgres import Postgres
from .peer_sphinx import Sphinx
from .peer_sqlite import Sqlite

PEERS = {"dixit": Dixit, "sqlite": Sqlite, "postgres": Postgres, "sphinx": Sphinx, "omega": Omega}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="bench-peers", description=__doc__)
    ap.add_argument("--count", type=int, default=1000000, help="quotes in the generated corpus (default 1,000,000)")
    ap.add_argument("--quick", action="store_true", help="50,000 quotes and shorter per-class time limits (the test)")
    ap.add_argument("--queries", dest="per_class", type=int, default=500, help="queries per class (default 500)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the corpus and of the query set (default 1)")
    ap.add_argument("--peers", default="sqlite,postgres,sphinx,omega", help="peers beside Dixit, comma-separated "
                    "(dixit,sqlite,postgres,sphinx,omega; Dixit always runs)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"), help="Dixit's binaries (default build/bin)")
    ap.add_argument("--data", default=os.path.join(ROOT, "data"), help="the generator's data directory")
    ap.add_argument("--work", help="work directory (default: a temporary one; what the run puts there is removed "
                    "afterwards unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"),
                    help="Markdown file whose bench-peers section is replaced (default docs/benchmarks.md)")
    ap.add_argument("--no-write", action="store_true", help="print the tables only")
    ap.add_argument("--timeout", type=int, default=None, help="seconds a peer's build or start may take "
                    "(default 3600, quick 240)")
    ap.add_argument("--class-budget", type=float, default=None, help="seconds of queries per class and engine, "
                    "warm-up included; the timed pass stops there and reports how many it ran (default 180, quick 4)")
    ap.add_argument("--require-all", action="store_true", help="a skipped peer fails the run too (implied when "
                    "the environment has CI=true: CI installs every peer with scripts/install-deps)")
    ap.add_argument("--classes", help="only these query classes, comma-separated (default: all; the full table "
                    "needs all, so with this the tables are printed and the section is not written)")
    ap.add_argument("--json", help="also write the raw results as JSON here")
    args = ap.parse_args(argv)
    known = [key for key, _ in CLASSES]
    args.classes = [c.strip() for c in args.classes.split(",") if c.strip()] if args.classes else known
    unknown = [c for c in args.classes if c not in known]
    if unknown:
        ap.error("unknown class(es) %s; the classes: %s" % (", ".join(unknown), ", ".join(known)))
    if len(args.classes) < len(known):
        args.no_write = True
    if args.quick:
        args.count = 50000 if args.count == 1000000 else args.count
    args.timeout = args.timeout or (240 if args.quick else 3600)
    args.class_budget = args.class_budget or (4 if args.quick else 180)
    args.require_all = args.require_all or os.environ.get("CI") == "true"
    return args


def run_class(peer, queries, budget):
    """One untimed warm-up pass, then the timed pass; both stop when the class's time budget is spent."""
    deadline = time.monotonic() + budget / 3
    for q in queries:
        peer.query(q)
        if time.monotonic() > deadline:
            break
    deadline = time.monotonic() + budget * 2 / 3
    times, raws = [], []
    for q in queries:
        start = time.perf_counter()
        raw = peer.query(q)
        times.append((time.perf_counter() - start) * 1000)
        raws.append(raw)
        if time.monotonic() > deadline:
            break
    answers = [peer.parse(r) for r in raws]
    server = sorted(t for t in (peer.server_ms(r) for r in raws) if t is not None)
    times.sort()
    return {"n": len(times), "p50": measure.percentile(times, 0.5), "p99": measure.percentile(times, 0.99),
            "max": times[-1], "truncated": len(times) < len(queries), "answers": answers,
            "server_p50": measure.percentile(server, 0.5) if server else None,
            "server_p99": measure.percentile(server, 0.99) if server else None}


def like_recall(peer, queries, answers):
    """In how many of the timed like queries the unperturbed quote is among the peer's first LIKE_TOP hits:
    {kind: [found, n]} for each perturbation, and "all"."""
    recall = {kind: [0, 0] for kind in LIKE_KINDS + ("all",)}
    for q, answer in zip(queries, answers):
        found = int(q[peer.hit_key] in list(answer[2])[:LIKE_TOP])
        for kind in (q["kind"], "all"):
            recall[kind][0] += found
            recall[kind][1] += 1
    return recall


def run_peer(peer, ctx, queries, maps, log):
    result = {"key": peer.key, "title": peer.title, "build_method": peer.build_method, "transport": peer.transport,
              "query_methods": peer.query_methods}
    reason = peer.unavailable()
    if reason:
        result["skipped"] = reason
        log("%s: skipped: %s" % (peer.title, reason))
        return result
    try:
        log("%s: building..." % peer.title)
        result["build"] = peer.build(ctx)
        log("%s: built in %.1f s (%.0f quotes/s)" % (peer.title, result["build"]["seconds"],
                                                     ctx.info.docs / result["build"]["seconds"]))
        peer.start(ctx)
        peer.prepare(maps)
        peer.warm()
        result["classes"] = {}
        for key, _ in CLASSES:
            if key not in ctx.args.classes:
                continue
            why = peer.unsupported(key)
            if why:
                result.setdefault("unsupported", {})[key] = why
                log("  %-40s not supported: %s" % (CLASS_TITLES[key], why))
                continue
            s = run_class(peer, queries[key], ctx.args.class_budget)
            result["classes"][key] = s
            extra = ""
            if key == "like":
                s["recall"] = like_recall(peer, queries[key], s["answers"])
                extra = "  original in the first %d: %d of %d" % (LIKE_TOP, s["recall"]["all"][0],
                                                                   s["recall"]["all"][1])
            log("  %-40s n=%4d p50 %8.2f ms  p99 %8.2f ms%s" % (CLASS_TITLES[key], s["n"], s["p50"], s["p99"], extra))
        result["server_rss_kb"] = peer.server_rss_kb()
        if peer.key == "dixit":
            peer.stop()
            peer.start(ctx, cache_bytes=64 << 20)
            peer.warm()
            home = [{"cls": "matchall"}] * ctx.args.per_class
            peer.query(home[0])  # the first request after an index change fills the cache
            result["cached"] = run_class(peer, home, ctx.args.class_budget)
            log("  %-40s n=%4d p50 %8.2f ms  p99 %8.2f ms" % ("match-all + facets, cached", result["cached"]["n"],
                                                             result["cached"]["p50"], result["cached"]["p99"]))
    except Exception as e:  # a peer that fails is reported and the run goes on
        result.pop("classes", None)
        result["failed"] = "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else "")
        log("%s: FAILED: %s" % (peer.title, result["failed"]))
        traceback.print_exc(file=sys.stderr)
    finally:
        try:
            peer.stop()
        finally:
            peer.cleanup(ctx)
    return result


def compare(dixit, peer, queries):
    """Per class: in how many queries the peer's total (and facet counts) differ from Dixit's, with examples."""
    peer["agreement"], peer["disagreements"] = {}, []
    for key in COMPARED:
        d, p = dixit["classes"].get(key), peer["classes"].get(key)
        if not d or not p:
            continue
        n = min(len(d["answers"]), len(p["answers"]))
        differ = 0
        for i in range(n):
            (dt, df), (pt, pf) = d["answers"][i][:2], p["answers"][i][:2]
            if dt != pt or (df is not None and pf is not None and df != pf):
                differ += 1
                q = queries[key][i]
                text = " ".join(q.get("phrase", q.get("words", []))) or "(all)"
                detail = "%s%s: %d vs %d" % ('"%s"' % text if "phrase" in q else text,
                                             " tag=%s" % q["tag"] if q.get("tag") else "", dt, pt)
                if dt == pt:
                    detail += " (facets %s vs %s)" % (json.dumps(df), json.dumps(pf))
                peer["disagreements"].append({"cls": key, "text": detail})
        peer["agreement"][key] = {"n": n, "differ": differ}


def main(argv=None):
    args = parse_args(argv)
    # SIGTERM unwinds like an error, so that every server this run started is stopped and the work removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    load_at_start = os.getloadavg()[0]

    def log(msg):
        print("[%6.0f s] %s" % (time.monotonic() - started, msg), file=sys.stderr, flush=True)

    for tool in ("dixit-gen-corpus", "dixit-indexer", "dixit-searchd"):
        if not os.access(os.path.join(args.bin, tool), os.X_OK):
            print("bench-peers: %s not found in %s (build Dixit first, or pass --bin)" % (tool, args.bin),
                  file=sys.stderr)
            return 2
    wanted = [p.strip() for p in args.peers.split(",") if p.strip() and p.strip() != "dixit"]
    unknown = [p for p in wanted if p not in PEERS]
    if unknown:
        print("bench-peers: unknown peer(s) %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    created = not args.work or not os.path.exists(args.work)
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="bench-peers-"))
    os.makedirs(work, exist_ok=True)
    try:
        corpus_path = os.path.join(work, "corpus.jsonl")
        log("generating %d quotes (seed %d)..." % (args.count, args.seed))
        gen_s = corpus.generate(os.path.join(args.bin, "dixit-gen-corpus"), args.data, args.count, args.seed,
                                corpus_path, args.timeout)
        log("scanning the corpus for the query set...")
        info = corpus.scan(corpus_path, max(2000, args.per_class * 40), args.seed)
        maps_path = os.path.join(work, "maps.json")
        info.save(maps_path)
        queries = corpus.make_queries(info, args.per_class, args.seed)
        with open(os.path.join(work, "queries.json"), "w") as f:
            json.dump(queries, f)
        log("%d quotes; queries per class: %s" % (info.docs, ", ".join("%s %d" % (k, len(v)) for k, v in queries.items())))
        ctx = Context(args, work, corpus_path, maps_path, info)
        maps = corpus.load_maps(maps_path)
        results = []
        for key in ["dixit"] + wanted:
            results.append(run_peer(PEERS[key](), ctx, queries, maps, log))
        dixit = results[0]
        for r in results[1:]:
            if r.get("classes") and dixit.get("classes"):
                compare(dixit, r, queries)
        run = {"date": report.today(), "machine": measure.machine(), "args": args, "peers": results,
               "load": (load_at_start, os.getloadavg()[0]),
               "corpus": {"count": args.count, "seed": args.seed, "docs": info.docs, "bytes": info.bytes,
                          "generate_s": gen_s, "matchall_repeats": len(queries["matchall"]),
                          "tag_case_variants": info.tag_case_variants}}
        text = report.render(run)
        print(text)
        if not args.no_write:
            report.write_section(args.out, text)
            log("wrote the bench-peers section of %s" % args.out)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({k: v for k, v in run.items() if k != "args"}, f, default=str, indent=1)
        failed = [r["title"] for r in results if r.get("failed") or (args.require_all and r.get("skipped"))]
        failed += [] if dixit.get("classes") else ["Dixit"]
        if failed:
            log("failed: %s" % ", ".join(sorted(set(failed))))
            return 1
        return 0
    finally:
        if args.keep:
            pass
        elif created:
            shutil.rmtree(work, ignore_errors=True)
        else:  # a directory that was there before: only what this run put in it
            for name in ("corpus.jsonl", "maps.json", "queries.json", "dixit-searchd.log"):
                if os.path.exists(os.path.join(work, name)):
                    os.remove(os.path.join(work, name))
            for key in PEERS:
                shutil.rmtree(os.path.join(work, key), ignore_errors=True)
