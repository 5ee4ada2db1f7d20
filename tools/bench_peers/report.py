"""The result tables (Markdown), printed and written into docs/benchmarks.md between the bench-peers markers."""
import datetime
import os

from .corpus import CLASSES, CLASS_TITLES, COMPARED, COUNTED, LIKE_KINDS, LIKE_KIND_TITLES, LIKE_MAX_WORDS, \
    LIKE_MIN_WORDS, LIKE_TOP

BEGIN = "<!-- bench-peers:begin -->"
END = "<!-- bench-peers:end -->"


def fmt_ms(v):
    if v is None or v != v:
        return "—"
    return "%.2f" % v if v < 10 else "%.1f" % v if v < 100 else "%.0f" % v


def mb(kb_or_bytes, unit=1024):
    return "—" if not kb_or_bytes else "{:,.0f}".format(kb_or_bytes / unit)


def ratio(a, b):
    return "—" if not a or not b or a != a or b != b else "%.2f×" % (a / b)


def render(run):
    """run: dict with date, machine, corpus, args, peers (list of result dicts, Dixit first), skipped, failed."""
    m, c, a = run["machine"], run["corpus"], run["args"]
    peers = [p for p in run["peers"] if p.get("classes")]
    dixit = next((p for p in run["peers"] if p["key"] == "dixit"), None)
    others = [p for p in peers if p["key"] != "dixit"]
    out = []
    w = out.append
    w("## Dixit beside its peers (`tools/bench-peers`), %s" % run["date"])
    w("")
    w("Machine: %d cores (%s), %.1f GiB of memory. Corpus: `dixit-gen-corpus --count %d --seed %d` (%s quotes, "
      "%s MB of JSONL), loaded by every engine from the same file. Queries: %d per class drawn with seed %d "
      "(match-all: the one query, %d times); client-side wall time per query, after one untimed warm-up pass; "
      "engines run one after another, alone on the machine as far as this tool knows.%s"
      % (m["cores"], m["cpu"], m["mem_gib"], c["count"], c["seed"], "{:,}".format(c["docs"]),
         mb(c["bytes"], 1 << 20), a.per_class, a.seed, c["matchall_repeats"], " **Quick mode**: a smoke run, "
         "not the figures the goals are about." if a.quick else ""))
    if run.get("load"):
        w("")
        w("Load average (1 min) when the run started: %.2f; when it ended: %.2f. Above 0.5 at the start, something "
          "else was running and the figures are noisy." % tuple(run["load"]))
    if c.get("tag_case_variants"):
        w("")
        w("%d tags of the corpus differ from another only in case: Dixit's tag filter folds them together, the peers' "
          "tag ids do not." % c["tag_case_variants"])
    w("")
    w("### Build")
    w("")
    w("| engine | seconds | quotes/s | Dixit rate / its rate | peak RSS of the build, MB | serving process peak RSS, MB | index on disk, MB |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for p in peers:
        b = p["build"]
        rate = c["docs"] / b["seconds"]
        drate = c["docs"] / dixit["build"]["seconds"] if dixit and dixit.get("build") else None
        w("| %s | %.1f | {:,.0f} | %s | %s | %s | %s |".format(rate)
          % (p["title"], b["seconds"], ratio(drate, rate) if p["key"] != "dixit" else "1", mb(b["rss_kb"]),
             mb(p.get("server_rss_kb")) if p.get("server_rss_kb") else "in process", mb(b["index_bytes"], 1 << 20)))
    w("")
    w("### Query latency, ms (p50 / p99)")
    w("")
    titles = [p["title"] for p in peers]
    titles.insert(1, "(Dixit's own `took_ms`)")
    w("| query class | " + " | ".join(titles) + " | Dixit p99 / best peer p99 |")
    w("|---|" + "---:|" * len(titles) + "---:|")
    for key, title in CLASSES:
        cells = []
        for p in peers:
            s = p["classes"].get(key)
            cells.append(("not supported" if key in p.get("unsupported", {}) else "—") if not s else "%s / %s%s" % (
                fmt_ms(s["p50"]), fmt_ms(s["p99"]), " (n=%d)" % s["n"] if s.get("truncated") else ""))
        best = best_peer(others, key)
        d = dixit["classes"].get(key) if dixit and dixit.get("classes") else None
        cells.insert(1, "%s / %s" % (fmt_ms(d.get("server_p50")), fmt_ms(d.get("server_p99"))) if d else "—")
        w("| %s | %s | %s |" % (title, " | ".join(cells),
                                ratio(d["p99"], best[1]) + " (%s)" % best[0] if d and best else "—"))
    cached = dixit.get("cached") if dixit else None
    if cached:
        w("| match-all + facets, response cache on (Dixit's home page as served, cached per index revision) | %s | — |"
          % " | ".join(["%s / %s" % (fmt_ms(cached["p50"]), fmt_ms(cached["p99"])),
                        "%s / %s" % (fmt_ms(cached.get("server_p50")), fmt_ms(cached.get("server_p99")))]
                       + ["—" for _ in others]))
    w("")
    w("Dixit p99 / each peer's p99 (below 1: Dixit is faster):")
    w("")
    w("| query class | " + " | ".join(p["title"] for p in others) + " |")
    w("|---|" + "---:|" * len(others))
    for key, title in CLASSES:
        d = dixit["classes"].get(key) if dixit and dixit.get("classes") else None
        w("| %s | %s |" % (title, " | ".join(ratio(d["p99"], p["classes"][key]["p99"]) if d and p["classes"].get(key)
                                             else "—" for p in others)))
    w("")
    w("### Do the engines agree with Dixit?")
    w("")
    w("Totals compared query by query (facets: the counts of the top 10 values of each field). A cell says in how many "
      "queries the peer's answer differed from Dixit's.")
    w("")
    w("| query class | " + " | ".join(p["title"] for p in others) + " |")
    w("|---|" + "---|" * len(others))
    for key in COMPARED:
        w("| %s%s | %s |" % (CLASS_TITLES[key], " (required)" if key in COUNTED else "",
                            " | ".join(agreement_cell(p, key) for p in others)))
    examples = [(p["title"], e) for p in others for e in p.get("disagreements", [])[:3]]
    if examples:
        w("")
        w("Examples of disagreement (query: Dixit's total vs the peer's):")
        w("")
        for title, e in examples[:12]:
            w("- %s, %s: %s" % (title, CLASS_TITLES[e["cls"]], e["text"]))
    like_section(w, peers)
    w("")
    w("### Goals (issue 5: 1M quotes on this 2-core machine%s)" % ("; this quick run is indicative only" if a.quick else ""))
    w("")
    w("| goal | measured | |")
    w("|---|---|---|")
    for goal, measured, ok in goals(run, dixit, others):
        w("| %s | %s | %s |" % (goal, measured, "met" if ok else "**not met**" if ok is not None else "—"))
    w("")
    w("### How each engine answers")
    w("")
    for p in run["peers"]:
        if p.get("classes"):
            w("- **%s** (%s). Build: %s%s." % (p["title"], p["transport"], p["build_method"],
                                                "; " + p["build"]["note"] if p["build"].get("note") else ""))
            unsupported = p.get("unsupported", {})
            w("  Queries: " + "; ".join("%s: %s" % (CLASS_TITLES[k], "not supported here: " + unsupported[k]
                                                    if k in unsupported else v)
                                        for k, v in p["query_methods"].items()) + ".")
    for p in run["peers"]:
        if p.get("skipped"):
            w("- **%s**: skipped: %s" % (p["title"], p["skipped"]))
        elif p.get("failed"):
            w("- **%s**: failed: %s" % (p["title"], p["failed"]))
    w("")
    return "\n".join(out)


def like_section(w, peers):
    """Recall of the like class: how often each engine puts the unperturbed quote among its first LIKE_TOP hits,
    per perturbation."""
    ran = [p for p in peers if p["classes"].get("like", {}).get("recall")]
    if not ran:
        return
    w("")
    w("### Half-remembered quotes (`like`): the original among the first %d hits" % LIKE_TOP)
    w("")
    w("Each query is the text of a quote of %d–%d words (each a plain ASCII word, so that every engine sees the "
      "same words), changed in one way drawn at random; the quote as it is in the corpus is the one sought. A "
      "cell: in how many of the engine's timed queries (the first n of the same seeded list: an engine whose time "
      "budget ran out answered fewer) it is among the first %d hits. Totals are not compared: Dixit matches the "
      "quotes that hold a minimum share of the text's weight, the peers any of its words (Sphinx a quorum of "
      "them), and no goal is set on this class's latency." % (LIKE_MIN_WORDS, LIKE_MAX_WORDS, LIKE_TOP))
    w("")
    w("| the remembered text | " + " | ".join(p["title"] for p in ran) + " |")
    w("|---|" + "---:|" * len(ran))
    for kind in LIKE_KINDS + ("all",):
        cells = []
        for p in ran:
            found, n = p["classes"]["like"]["recall"][kind]
            cells.append("%d of %d (%.0f%%)" % (found, n, 100.0 * found / n) if n else "—")
        w("| %s | %s |" % ("**all**" if kind == "all" else LIKE_KIND_TITLES[kind], " | ".join(cells)))


def best_peer(others, key):
    best = None
    for p in others:
        s = p["classes"].get(key)
        if s and (best is None or s["p99"] < best[1]):
            best = (p["title"], s["p99"])
    return best


def agreement_cell(p, key):
    a = p.get("agreement", {}).get(key)
    if not a:
        return "—"
    return "all %d agree" % a["n"] if a["differ"] == 0 else "**%d of %d differ**" % (a["differ"], a["n"])


def goals(run, dixit, others):
    rows = []
    if not dixit or not dixit.get("build"):
        return rows
    docs = run["corpus"]["docs"]
    drate = docs / dixit["build"]["seconds"]
    by_key = {p["key"]: p for p in others}
    for key, factor in (("sqlite", 0.5), ("sphinx", 1.0)):
        p = by_key.get(key)
        if p:
            rate = docs / p["build"]["seconds"]
            rows.append(("Dixit rebuild ≥ %g× %s's bulk-load rate" % (factor, p["title"]),
                         "{:,.0f} vs {:,.0f} quotes/s ({})".format(drate, rate, ratio(drate, rate)), drate >= factor * rate))
        else:
            rows.append(("Dixit rebuild vs %s" % key, "peer not run", None))
    for key in COMPARED:
        title = CLASS_TITLES[key]
        d = dixit["classes"].get(key)
        best = best_peer(others, key)
        if d and best:
            rows.append(("%s: Dixit p99 ≤ 0.5× the best peer's" % title,
                         "%s ms vs %s ms (%s)" % (fmt_ms(d["p99"]), fmt_ms(best[1]), best[0]), d["p99"] <= 0.5 * best[1]))
    cached = dixit.get("cached")
    if cached:
        rows.append(("match-all facets ≤ 5 ms (home page, response cache on)", "p99 %s ms" % fmt_ms(cached["p99"]),
                     cached["p99"] <= 5))
    d = dixit["classes"].get("matchall")
    if d:
        rows.append(("match-all facets ≤ 5 ms without the cache (first request after an index change)",
                     "p99 %s ms" % fmt_ms(d["p99"]), d["p99"] <= 5))
    return rows


def write_section(path, text):
    """Replaces the text between the markers in path (appends a marked section when there is none)."""
    section = "%s\n%s\n%s" % (BEGIN, text.rstrip("\n"), END)
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + section + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def today():
    return datetime.date.today().isoformat()
