"""The corpus (dixit-gen-corpus output, the one file every engine loads) and the seeded logical query set.

One streaming pass over the JSONL gathers what the query set and the peers need: document frequencies of
the words every engine tokenizes alike, the words that some engine would split or join differently (left
out of queries), the tag/author/country dictionaries (integer ids for Sphinx's attributes), the largest
number of tags and countries a quote has (value slots for Omega), and a seeded sample of quotes to draw
queries from."""
import json
import os
import random
import re
import subprocess
import time
import unicodedata

from . import measure

# Query classes: key, title, issue goal on Dixit's p99 relative to the best peer (all 0.5x), compared counts.
CLASSES = [
    ("rare", "rare word"),
    ("and2", "two-word AND"),
    ("phrase", "3-word phrase"),
    ("phrase_tag", "phrase + tag filter"),
    ("newest", "common word, newest first"),
    ("facets", "broad word + tag/author/country facets"),
    ("matchall", "match-all + facets"),
    ("like", "half-remembered quote (`like=`)"),
]
CLASS_TITLES = dict(CLASSES)
# Classes whose totals must agree between engines (the issue names the phrase and filter classes).
COUNTED = ("and2", "phrase", "phrase_tag")
# Classes whose answers (totals, facet counts) are compared between engines, and that have an issue goal on
# Dixit's p99: all but `like`, whose engines rank by different measures and match different sets by design
# (Dixit a minimum share of the text's weight, the peers any word or a quorum); it is judged by its recall.
COMPARED = tuple(key for key, _ in CLASSES if key != "like")
MATCHALL_REPEATS = 50  # the match-all query is one query: it is repeated this many times, not 500

# like: quotes of LIKE_MIN_WORDS..LIKE_MAX_WORDS space-separated pieces, each one ASCII word with punctuation
# around it (so that every engine sees the same words), perturbed in one of LIKE_KINDS ways. The upper bound
# keeps the remembered text a sentence or two (and far below searchd's 1,000 characters of a query).
LIKE_MIN_WORDS, LIKE_MAX_WORDS = 14, 40
LIKE_KINDS = ("fragment", "drop", "swap", "typo", "replace")
LIKE_KIND_TITLES = {"fragment": "a fragment kept (1/3 to 2/3 of the words, at least 7)", "drop": "one word dropped",
                    "swap": "two adjacent words swapped", "typo": "a typo in one word (one letter changed, "
                    "dropped, doubled, or two swapped)", "replace": "one word replaced by another corpus word"}
LIKE_TOP = 3  # recall: how often the unperturbed quote is among an engine's first LIKE_TOP hits
LIKE_PIECE = re.compile(r"([\"(\u201c]*)([A-Za-z]+)([.,;:!?\")\u201d\u2026]*)")

TOKEN = re.compile(r"\w+(?:['\u2019\u02bc\-.]\w+)*")
ASCII_WORD = re.compile(r"[a-z]+")
PHRASE_WORD = re.compile(r"[A-Za-z]{3,}")


def generate(gen_bin, data_dir, count, seed, out, timeout):
    """Writes the corpus with the project's deterministic generator; returns seconds taken."""
    with open(out, "wb") as f:
        wall, _ = measure.run_measured([gen_bin, "--count", str(count), "--seed", str(seed), "--data", data_dir],
                                       timeout, stdout=f)
    return wall


def fold(text):
    """Case folding and diacritics removal, about as Dixit folds Latin text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def said_sort(said_on):
    """said_on as an integer that orders like Dixit's `newest`: 2024-11-05 > 2024-11 > 2024 > undated (0)."""
    if not said_on:
        return 0
    parts = said_on.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 0
    day = int(parts[2]) if len(parts) > 2 else 0
    return year * 10000 + month * 100 + day


def published_epoch(published_at):
    """published_at (RFC 3339, UTC 'Z') as Unix seconds."""
    if not published_at:
        return 0
    return int(time.mktime(time.strptime(published_at[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone)


class CorpusInfo:
    """What one pass over the corpus learns; saved as JSON in the work directory for the peers' converters."""

    def __init__(self):
        self.docs = 0
        self.bytes = 0
        self.df = {}
        self.unsafe = set()
        self.tags, self.countries, self.authors = {}, {}, {}  # value -> integer id (1-based)
        self.max_tags = self.max_countries = 0
        self.tag_case_variants = 0
        self.sample = []  # (docid, text, tags, id) of the sampled quotes, in sample order

    def save(self, path):
        with open(path, "w") as f:
            json.dump({"docs": self.docs, "tags": self.tags, "countries": self.countries, "authors": self.authors,
                       "max_tags": self.max_tags, "max_countries": self.max_countries}, f)


def load_maps(path):
    with open(path) as f:
        return json.load(f)


def scan(path, sample_size, seed):
    """One pass over the corpus; keeps sample_size seeded random quotes for the query set."""
    info = CorpusInfo()
    with open(path, "rb") as f:
        total = sum(1 for _ in f)
    rng = random.Random(seed)
    picks = rng.sample(range(total), min(total, sample_size))
    order = {docid: i for i, docid in enumerate(picks)}
    sample = [None] * len(picks)
    df, unsafe = {}, info.unsafe
    folded_tags = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            info.bytes += len(line.encode("utf-8"))
            q = json.loads(line)
            words = set()
            for token in TOKEN.findall(q["text"]):
                low = token.lower()
                if ASCII_WORD.fullmatch(low):
                    words.add(low)
                    continue
                # A token some engine splits, joins or folds differently: its ASCII pieces are not safe words.
                folded = fold(low)
                unsafe.update(ASCII_WORD.findall(low))
                unsafe.update(ASCII_WORD.findall(folded))
                joined = re.sub(r"['\u2019\u02bc\-.]", "", folded)
                if ASCII_WORD.fullmatch(joined):
                    unsafe.add(joined)
            for w in words:
                df[w] = df.get(w, 0) + 1
            tags = q.get("tags", [])
            for t in tags:
                if t not in info.tags:
                    info.tags[t] = len(info.tags) + 1
                    key = t.casefold()
                    if key in folded_tags:
                        info.tag_case_variants += 1
                    folded_tags[key] = t
            for c in q.get("countries", []):
                info.countries.setdefault(c, len(info.countries) + 1)
            info.authors.setdefault(q["author"]["name"], len(info.authors) + 1)
            info.max_tags = max(info.max_tags, len(tags))
            info.max_countries = max(info.max_countries, len(q.get("countries", [])))
            if i in order:
                sample[order[i]] = (i + 1, q["text"], tags, q["id"])
    info.docs = total
    info.df = df
    info.sample = sample
    return info


def make_queries(info, per_class, seed):
    """The logical query set: {cls, words, phrase, tag} per query ({cls, text, words, kind, docid, id} for like),
    per_class of each class (match-all repeated MATCHALL_REPEATS times), drawn from the sampled quotes in a
    seeded order."""
    rng = random.Random(seed + 1)
    docs = info.docs
    classes = {key: [] for key, _ in CLASSES}

    def safe(w):
        return len(w) >= 3 and w not in info.unsafe and info.df.get(w, 0) > 0

    def add(cls, **q):
        if len(classes[cls]) < per_class:
            q["cls"] = cls
            classes[cls].append(q)

    like_rng = random.Random(seed + 2)  # its own: the other classes' queries stay those of earlier runs
    for docid, text, tags, qid in info.sample:
        if all(len(classes[k]) >= per_class for k in ("rare", "and2", "phrase", "phrase_tag", "newest", "facets",
                                                      "like")):
            break
        if len(classes["like"]) < per_class:
            q = like_query(text, info, like_rng)
            if q:
                add("like", docid=docid, id=qid, **q)
        if all(len(classes[k]) >= per_class for k in ("rare", "and2", "phrase", "phrase_tag", "newest", "facets")):
            continue
        pieces = text.split(" ")
        words = [w for w in (p.lower() for p in pieces) if ASCII_WORD.fullmatch(w) and safe(w)]
        for w in words:
            if info.df[w] <= 50:
                add("rare", words=[w])
                break
        if len(set(words)) >= 2:
            a, b = rng.sample(sorted(set(words)), 2)
            add("and2", words=[a, b])
        # Three consecutive space-separated pieces that are plain words: a phrase copied from the text.
        starts = [i for i in range(len(pieces) - 2)
                  if all(PHRASE_WORD.fullmatch(p) and safe(p.lower()) for p in pieces[i:i + 3])]
        if starts:
            i = rng.choice(starts)
            phrase = [p.lower() for p in pieces[i:i + 3]]
            add("phrase", phrase=phrase)
            if tags:
                add("phrase_tag", phrase=phrase, tag=rng.choice(tags))
        for w in words:
            if info.df[w] * 100 >= docs:
                add("newest", words=[w])
                add("facets", words=[w])
                break
    for _ in range(min(per_class, MATCHALL_REPEATS)):
        add("matchall")
    return classes


def like_query(text, info, rng):
    """A half-remembered form of text, or None when text does not qualify: {text, words, kind, original}. words
    are the distinct folded words of the perturbed text in order (what the peers OR together)."""
    pieces = text.split()
    if not LIKE_MIN_WORDS <= len(pieces) <= LIKE_MAX_WORDS:
        return None
    parts = [LIKE_PIECE.fullmatch(p) for p in pieces]
    if not all(parts):
        return None
    parts = [list(m.groups()) for m in parts]  # [before, word, after]
    n = len(parts)
    kind = rng.choice(LIKE_KINDS)
    if kind == "fragment":
        length = rng.randint(max(7, n // 3), max(7, 2 * n // 3))
        start = rng.randrange(n - length + 1)
        parts = parts[start:start + length]
    elif kind == "drop":
        del parts[rng.randrange(n)]
    elif kind == "swap":
        pairs = [i for i in range(n - 1) if parts[i][1].lower() != parts[i + 1][1].lower()]
        if not pairs:
            return None
        i = rng.choice(pairs)
        parts[i][1], parts[i + 1][1] = parts[i + 1][1], parts[i][1]  # the words move, the punctuation stays
    elif kind == "typo":
        i = rng.choice([i for i in range(n) if len(parts[i][1]) >= 4] or range(n))
        parts[i][1] = typo(parts[i][1], rng)
    else:  # replace
        i = rng.randrange(n)
        word = other_word(info, rng, parts[i][1].lower())
        parts[i][1] = word.capitalize() if parts[i][1][0].isupper() else word
    out = " ".join("".join(p) for p in parts)
    words = []
    for p in parts:
        w = p[1].lower()
        if w not in words:
            words.append(w)
    return {"text": out, "words": words, "kind": kind, "original": text}


def typo(word, rng):
    """word with one slip of the fingers after its first letter: two letters swapped, one dropped, doubled or
    replaced by another letter."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(20):
        i = rng.randrange(1, len(word)) if len(word) > 1 else 0
        how = rng.choice(("swap", "drop", "double", "change"))
        if how == "swap" and i + 1 < len(word):
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif how == "drop" and len(word) > 3:
            out = word[:i] + word[i + 1:]
        elif how == "double":
            out = word[:i] + word[i] + word[i:]
        else:
            c = rng.choice(letters)
            out = word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1:]
        if out.lower() != word.lower():
            return out
    return word + "x"


def other_word(info, rng, avoid):
    """A word of another sampled quote (so drawn about as often as the corpus uses it), not avoid."""
    while True:
        _, text, _, _ = rng.choice(info.sample)
        words = [w for w in (p.lower() for p in text.split(" ")) if ASCII_WORD.fullmatch(w) and len(w) >= 3
                 and w not in info.unsafe and w != avoid]
        if words:
            return rng.choice(words)
