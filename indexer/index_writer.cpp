// add and delete on the live generation: a reading/building thread feeds one Xapian writer thread.
#include "index_writer.h"

#include "index_dir.h"
#include "variants.h"
#include "work_queue.h"

#include <changes.h>
#include <date_keys.h>
#include <document.h>
#include <fields.h>
#include <layout.h>
#include <text.h>
#include <tombstones.h>

#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include <unistd.h>

namespace dixit {
namespace {

// A built document on its way to the writer.
struct PendingDocument {
    Xapian::Document doc;
    std::string id_term;
    bool published_defaulted = false;
    std::vector<SynonymEntry> synonyms;
    std::uint64_t sequence = 0;  // stem table entries of words the builder met first in this quote
    std::vector<Token> tokens;             // of its text, and its shingles: the writer finds its variant group
    std::vector<std::uint32_t> shingles;
};

// What an exception says (Xapian's errors have their own description).
std::string describe(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const Xapian::Error& e) {
        return "index error: " + e.get_description();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unexpected error";
    }
}

// Keeps the first published_at of a quote that is replaced without one: "when it entered the archive".
void keep_published_at(const Xapian::Document& existing, PendingDocument& pending) {
    const auto old = published_from_value(existing.get_value(slot::published_at));
    if (!old) return;
    Quote quote = quote_from_document(pending.doc);
    quote.published_at = *old;
    add_date_values(pending.doc, quote, pending.sequence);  // the sort keys include published_at
    set_quote_data(pending.doc, quote);
}

// Standard input spooled to a file so that --strict can read it twice; removed with this object.
class SpooledStdin {
public:
    explicit SpooledStdin(const std::string& dir) : path_(dir + "/" + std::string(entry::spooled_stdin) + "-" + std::to_string(::getpid())) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        if (std::cin.peek() != std::char_traits<char>::eof()) out << std::cin.rdbuf();  // empty stdin: empty file
        if (!out.flush()) throw InputError("cannot spool standard input to " + path_);
    }
    ~SpooledStdin() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace

IngestSummary add_quotes(const std::string& dir, const std::vector<std::string>& input_files, const WriteOptions& options) {
    IndexLock lock(dir, options.lock_wait);
    IndexDir index(dir);
    index.remove_leftovers();  // of a killed rebuild or add: nobody else writes while we hold the lock
    std::vector<std::string> files = input_files;
    std::optional<SpooledStdin> spooled;
    auto start = std::chrono::steady_clock::now();
    IngestSummary summary;

    if (options.ingest.strict) {
        for (auto& f : files) {
            if (f != "-") continue;
            if (!spooled) spooled.emplace(dir);  // "-" twice reads the same (already consumed) input twice
            f = spooled->path();
        }
        IngestSummary check;
        {
            RecordFeed feed(files, options.ingest, check);
            IngestedQuote q;
            while (feed.next(q)) {
            }
        }
        if (check.rejected > 0) {
            check.added = check.replaced = check.unchanged = 0;
            check.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return check;  // nothing written
        }
    }

    const std::string generation = index.live_generation_or_create();
    Xapian::WritableDatabase db(generation, Xapian::DB_OPEN | layout_db_flags);
    check_layout(db, "the index at " + dir);
    Tombstones dead;  // the writer's own: loaded once, then added to by this writer only (it holds the lock)
    dead.load(db);
    const std::uint64_t first_sequence = next_sequence(db);  // read before the writer thread shares db
    WorkQueue<PendingDocument> queue(256);
    std::exception_ptr writer_error;
    std::thread writer([&] {
        try {
            std::size_t uncommitted = 0;
            std::vector<Xapian::docid> touched;  // the change log entry of the next commit (schema/changes.h)
            std::uint64_t next = first_sequence;  // above every sequence number written so far
            Tokenizer tokenizer;      // for variant groups (join_variants below)
            VariantClusters in_run;
            Xapian::Database committed(generation);
            // Each batch is one transaction: a new version and its predecessor's tombstone become visible
            // together. Xapian commits on its own when its flush threshold is reached and when a
            // WritableDatabase is destroyed; inside a transaction it does neither (the destructor cancels),
            // so a failed batch leaves nothing, and never two live versions of a quote.
            bool writing = false;
            auto start_writing = [&] {
                if (!writing) db.begin_transaction();
                writing = true;
            };
            auto commit = [&] {
                if (writing) {  // a batch of unchanged records only has nothing to commit
                    set_next_sequence(db, next);
                    record_changes(db, touched);
                    dead.write_pending(db);
                    mark_layout(db);  // a layout 3 index with tombstones is layout 4
                    db.commit_transaction();
                    committed.reopen();
                    writing = false;
                }
                uncommitted = 0;
                // Records are written in input order: the first `committed` valid ones are durable.
                if (options.ingest.commit_lines)
                    std::cerr << nlohmann::json{{"committed", summary.taken()}, {"added", summary.added},
                                                {"replaced", summary.replaced}, {"revision", db.get_revision()}}
                                     .dump()
                              << std::endl;
            };
            // A new version's variant group: among this run's quotes (in memory), else among the committed
            // ones (a reader, reopened after each commit), looked up while its predecessor is still live, so
            // that an edit that keeps the wording keeps its group.
            auto join_variants = [&](PendingDocument& p) {
                if (p.shingles.empty()) return;
                const std::uint64_t group = in_run.assign(p.shingles, p.sequence, [&] {
                    return find_variant_group(committed, tokenizer, p.tokens, p.shingles,
                                              [&](Xapian::docid did) { return dead.contains(did); });
                });
                if (group != p.sequence) ++summary.variants;
                p.doc.add_value(slot::variant, variant_key(group));
            };
            // A new document (or a quote's new version): its variant group, its synonyms, the document.
            auto write = [&](PendingDocument& p) {
                start_writing();
                join_variants(p);
                add_synonyms(db, p.synonyms);
                touched.push_back(db.add_document(p.doc));
            };
            auto oldest = std::chrono::steady_clock::now();  // when the oldest uncommitted document came
            const auto interval = std::chrono::duration<double>(options.ingest.commit_interval);
            for (;;) {
                // Commit by size, by age, and whenever the input pauses, so that a slow stream
                // (tail -f | dixit-indexer add -) becomes searchable without waiting for more input.
                bool timed_out = false;
                auto pending = uncommitted ? queue.pop_for(std::chrono::milliseconds(200), timed_out) : queue.pop();
                if (timed_out) {
                    commit();
                    continue;
                }
                if (!pending) break;
                next = std::max(next, pending->sequence + 1);
                // A new version is added and the old one marked dead: layout 4 has no term lists, which
                // replace_document() would need, and an append is cheaper than a replacement anyway.
                const Xapian::docid existing = live_docid(db, pending->id_term, dead);
                if (existing) {
                    Xapian::Document old = db.get_document(existing);
                    if (pending->published_defaulted) keep_published_at(old, *pending);
                    if (old.get_data() == pending->doc.get_data()) {
                        // A dump indexed again must not grow the index by a version a quote. Its words
                        // and their stems are in the index already.
                        ++summary.unchanged;
                    } else {
                        write(*pending);
                        dead.add(existing);
                        ++summary.replaced;
                    }
                } else {
                    write(*pending);
                    ++summary.added;
                }
                auto now = std::chrono::steady_clock::now();
                if (uncommitted++ == 0) oldest = now;
                if (uncommitted >= options.ingest.batch_size || now - oldest >= interval) commit();
            }
            if (uncommitted) commit();
        } catch (...) {
            writer_error = std::current_exception();
            queue.close();
            if (options.on_writer_failure) options.on_writer_failure(describe(writer_error));
        }
    });

    try {
        RecordFeed feed(files, options.ingest, summary, first_sequence);
        DocumentBuilder builder;
        IngestedQuote q;
        while (feed.next(q)) {
            PendingDocument pending{builder.build(q.quote, q.sequence), id_term(q.quote.id), q.published_defaulted,
                                    builder.take_new_synonyms(), q.sequence, {}, {}};
            if (options.ingest.variants) {
                pending.shingles = shingles(builder.tokens());
                if (!pending.shingles.empty()) pending.tokens = builder.tokens();
            }
            if (!queue.push(std::move(pending))) break;  // the writer failed
        }
    } catch (...) {
        queue.close();
        writer.join();
        throw;  // the writer drained the queue and committed: records read before the failure are kept
    }
    queue.close();
    writer.join();
    if (writer_error) std::rethrow_exception(writer_error);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

DeleteSummary delete_quotes(const std::string& dir, const std::vector<std::string>& ids, const WriteOptions& options) {
    IndexLock lock(dir, options.lock_wait);
    IndexDir index(dir);
    DeleteSummary summary;
    std::string live = index.live_generation();
    if (live.empty()) {
        summary.not_found = ids;
        return summary;
    }
    Xapian::WritableDatabase db(live, Xapian::DB_OPEN | layout_db_flags);
    check_layout(db, "the index at " + dir);
    Tombstones dead;
    dead.load(db);
    for (const auto& raw : ids) {
        // Ids are trimmed as validation trims them on add (a CRLF list must not miss every id).
        const std::string id(trim(raw));
        if (Xapian::docid found = live_docid(db, id_term(id), dead)) {
            dead.add(found);  // a repeated id finds it dead the second time: not found
            summary.deleted.push_back(id);
        } else {
            summary.not_found.push_back(id);
        }
    }
    if (!summary.deleted.empty()) {
        std::vector<Xapian::docid> none;  // deleted documents never match again: nothing to re-read
        record_changes(db, none);
        dead.write_pending(db);
        mark_layout(db);
    }
    db.commit();
    return summary;
}

}  // namespace dixit
