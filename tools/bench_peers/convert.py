"""Streams the Dixit JSONL corpus in the input format of another engine's own bulk loader:
`tsv` for Sphinx's tsvpipe source, `omega` for Omega's scriptindex. Run by the loaders as a pipe:
  python3 -m bench_peers.convert tsv|omega CORPUS MAPS"""
import json
import sys

from . import corpus


def clean(text):
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def to_tsv(corpus_path, maps, out):
    """docid, text (field + string attribute), author id, tag ids, country ids, said_sort, published."""
    tags, countries, authors = maps["tags"], maps["countries"], maps["authors"]
    with open(corpus_path, encoding="utf-8") as f:
        for docid, line in enumerate(f, 1):
            q = json.loads(line)
            out.write("%d\t%s\t%d\t%s\t%s\t%d\t%d\n" % (
                docid, clean(q["text"]), authors[q["author"]["name"]],
                ",".join(str(tags[t]) for t in q.get("tags", [])),
                ",".join(str(countries[c]) for c in q.get("countries", [])),
                corpus.said_sort(q.get("said_on")), corpus.published_epoch(q.get("published_at"))))


def to_omega(corpus_path, maps, out):
    """One scriptindex record a quote: id, text, author, tag0.., country0.., sortkey; a blank line after each."""
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            lines = ["id=" + q["id"], "text=" + q["text"].replace("\n", "\n="), "author=" + q["author"]["name"]]
            lines += ["tag%d=%s" % (i, t) for i, t in enumerate(q.get("tags", []))]
            lines += ["country%d=%s" % (i, c) for i, c in enumerate(q.get("countries", []))]
            lines.append("sortkey=%s" % omega_sort_key(q))
            out.write("\n".join(lines) + "\n\n")


def omega_sort_key(q):
    """said_sort then published, fixed width: a string value slot that sorts like Dixit's `newest`."""
    return "%08d%011d" % (corpus.said_sort(q.get("said_on")), corpus.published_epoch(q.get("published_at")))


def omega_script(max_tags, max_countries):
    """The scriptindex index script: text through Xapian's TermGenerator (`index`), filters as boolean terms with
    Omega's prefixes, one value slot per tag/country position (as Dixit's layout), the sort key in slot 0."""
    rules = ["id : field boolean=Q unique=Q",
             "text : field index",
             "author : field boolean=A value=2",
             "sortkey : value=0"]
    rules += ["tag%d : field=tag boolean=K value=%d" % (i, 100 + i) for i in range(max_tags)]
    rules += ["country%d : field=country boolean=XC value=%d" % (i, 200 + i) for i in range(max_countries)]
    return "\n".join(rules) + "\n"


if __name__ == "__main__":
    fmt, corpus_path, maps_path = sys.argv[1:4]
    maps = corpus.load_maps(maps_path)
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", buffering=1 << 20, closefd=False)
    (to_tsv if fmt == "tsv" else to_omega)(corpus_path, maps, out)
    out.flush()
