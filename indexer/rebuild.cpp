// rebuild: one reading thread routes quotes by id to N shard builders; shards are merged by compaction.
#include "rebuild.h"

#include "id_filter.h"
#include "index_dir.h"
#include "variants.h"
#include "work_queue.h"

#include <layout.h>
#include <tombstones.h>
#include <date_keys.h>
#include <document.h>
#include <fields.h>

#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

namespace fs = std::filesystem;

namespace dixit {
namespace {

// Builds one shard. Ids are routed by hash, so a duplicate id always meets its twin in the same shard.
class ShardBuilder {
public:
    /// variants: the rebuild's variant groups, shared by its shards (nullptr: none).
    ShardBuilder(const std::string& path, const std::string& live, bool keep_published, VariantClusters* clusters)
        // A fresh shard has no readers: skip fsync (the merged generation is fsynced before the switch).
        // No term lists (layout 4): a repeated id is superseded by a tombstone, written after the merge.
        : db_(path, Xapian::DB_CREATE | Xapian::DB_NO_SYNC | layout_db_flags), queue_(1024), variants_(clusters) {
        mark_layout(db_);
        if (keep_published && !live.empty()) {
            live_ = Xapian::Database(live);
            has_live_ = live_.get_doccount() > 0;
            if (has_live_) live_dead_.load(live_);
        }
    }

    WorkQueue<IngestedQuote>& queue() { return queue_; }

    void run() {
        try {
            while (auto q = queue_.pop()) {
                std::string term = id_term(q->quote.id);
                // A repeated id (always in the same shard: ids are routed by hash) replaces its twin, the
                // last record winning; it keeps the first one's published_at when it has none of its own,
                // as with add. A first occurrence without one takes the live index's.
                Xapian::docid existing = 0;
                if (ids_.add(term)) existing = newest_docid(db_, term);  // the newest twin

                if (existing && q->published_defaulted) keep_published_at(db_, existing, q->quote);
                else if (!existing && q->published_defaulted && has_live_) keep_live_published_at(q->quote);
                Xapian::Document doc = builder_.build(q->quote, q->sequence);
                if (variants_) {
                    if (std::uint64_t group = variants_->assign(shingles(builder_.tokens()), q->sequence)) {
                        doc.add_value(slot::variant, variant_key(group));
                        if (group != q->sequence) ++variants;
                    }
                }
                add_synonyms(db_, builder_.take_new_synonyms());
                db_.add_document(doc);
                if (existing) {
                    if (existing_first(term)) repeated_ids.push_back(term);
                    ++replaced;
                } else {
                    ++added;
                }
            }
        } catch (...) {
            error = std::current_exception();
            queue_.close();
        }
    }

    /// After run(): records the index's next sequence number (the same in every shard, so the merge keeps
    /// it whichever shard it takes it from) and commits.
    void finish(std::uint64_t next_sequence) {
        set_next_sequence(db_, next_sequence);
        db_.commit();
    }

    std::uint64_t added = 0, replaced = 0, variants = 0;
    /// Id terms this shard holds more than one version of: all but the newest are dead after the merge.
    std::vector<std::string> repeated_ids;
    std::exception_ptr error;

private:
    static void keep_published_at(const Xapian::Database& db, Xapian::docid did, Quote& quote) {
        if (auto old = published_from_value(db.get_document(did).get_value(slot::published_at))) quote.published_at = *old;
    }

    void keep_live_published_at(Quote& quote) {
        if (Xapian::docid did = live_docid(live_, id_term(quote.id), live_dead_)) keep_published_at(live_, did, quote);
    }

    // Whether term has just got its second version (a third one is already listed).
    bool existing_first(const std::string& term) {
        Xapian::doccount versions = 0;
        for (auto it = db_.postlist_begin(term), end = db_.postlist_end(term); it != end && versions < 3; ++it) ++versions;
        return versions == 2;
    }

    Xapian::WritableDatabase db_;
    Xapian::Database live_;
    Tombstones live_dead_;
    bool has_live_ = false;
    WorkQueue<IngestedQuote> queue_;
    DocumentBuilder builder_;
    VariantClusters* variants_;
    IdFilter ids_;  // the ids this shard has taken, approximately (fixed memory)
};

// Marks dead every version but the newest of each repeated id in the merged generation. Done after the
// merge, on the merged docids: compaction renumbers documents, and its metadata keeps one shard's value.
void bury_repeated(const std::string& generation, const std::vector<std::string>& repeated_ids) {
    Xapian::WritableDatabase db(generation, Xapian::DB_OPEN | Xapian::DB_NO_SYNC | layout_db_flags);
    Tombstones dead;
    dead.load(db);
    for (const auto& term : repeated_ids) {
        const Xapian::docid newest = newest_docid(db, term);
        for (auto it = db.postlist_begin(term), end = db.postlist_end(term); it != end; ++it)
            if (*it != newest) dead.add(*it);
    }
    dead.write_pending(db);
    db.commit();
}

}  // namespace

// Hands every quote of a rebuild to push (false: stop, a builder failed) and returns the next sequence number.
using QuoteFeed = std::function<std::uint64_t(const std::function<bool(IngestedQuote&&)>& push)>;

// The rebuild proper, under the caller's lock: feed → shard builders → merge → switch.
// unique_ids: the feed never repeats an id (compact), so quotes may go to any shard: round robin, since a
// live index read in docid order holds the previous rebuild's shards one after the other, and routing by
// hash would keep one builder busy at a time.
IngestSummary build_generation(IndexDir& index, const QuoteFeed& feed, const RebuildOptions& options, IngestSummary& summary,
                               bool unique_ids = false) {
    auto start = std::chrono::steady_clock::now();
    std::string live = index.live_generation();
    std::string work = index.new_path(entry::rebuild_work);
    std::string generation;
    fs::create_directories(work);
    try {
        unsigned shards = options.write.ingest.threads ? options.write.ingest.threads
                                                       : std::max(1u, std::thread::hardware_concurrency());
        std::vector<std::unique_ptr<ShardBuilder>> builders;
        std::vector<std::thread> threads;
        std::unique_ptr<VariantClusters> variants;
        if (options.write.ingest.variants) variants = std::make_unique<VariantClusters>();
        // Xapian 1.4 takes the flush threshold only from the environment, read when a writer opens.
        // An operator's own XAPIAN_FLUSH_THRESHOLD wins.
        if (options.flush_threshold > 0) ::setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(options.flush_threshold).c_str(), 0);
        for (unsigned i = 0; i < shards; ++i) {
            builders.push_back(std::make_unique<ShardBuilder>(work + "/shard-" + std::to_string(i), live,
                                                              options.keep_published, variants.get()));
        }
        std::exception_ptr read_error;
        std::uint64_t next_sequence = 1;
        try {
            for (auto& b : builders) threads.emplace_back([&b] { b->run(); });
            std::size_t turn = 0;
            next_sequence = feed([&](IngestedQuote&& q) {
                auto& target = builders[unique_ids ? turn++ % shards : std::hash<std::string>{}(q.quote.id) % shards];
                return target->queue().push(std::move(q));
            });
        } catch (...) {
            read_error = std::current_exception();
        }
        for (auto& b : builders) b->queue().close();
        for (auto& t : threads) t.join();
        if (read_error) std::rethrow_exception(read_error);
        for (auto& b : builders) {
            if (b->error) std::rethrow_exception(b->error);
            summary.added += b->added;
            summary.replaced += b->replaced;
            summary.variants += b->variants;
        }
        variants.reset();  // its memory is not needed for the merge
        for (auto& b : builders) b->finish(next_sequence);
        std::vector<std::string> repeated_ids;  // an id lives in one shard only: no repeats across shards
        for (auto& b : builders) repeated_ids.insert(repeated_ids.end(), b->repeated_ids.begin(), b->repeated_ids.end());
        if (options.write.ingest.strict && summary.rejected > 0) {
            summary.added = summary.replaced = 0;
            fs::remove_all(work);
            summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return summary;  // strict: the live index stays as it was
        }
        builders.clear();  // closes the shard databases

        // Merge the shards into the new generation. Compaction level STANDARD (not FULL) leaves room
        // in blocks, so the first incremental adds afterwards do not split every block.
        generation = index.new_path(entry::generation);
        auto merge_start = std::chrono::steady_clock::now();
        if (shards == 1) {
            fs::rename(work + "/shard-0", generation);
        } else {
            Xapian::Database merged;
            for (unsigned i = 0; i < shards; ++i) merged.add_database(Xapian::Database(work + "/shard-" + std::to_string(i)));
            merged.compact(generation, Xapian::Compactor::STANDARD);
        }
        summary.merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - merge_start).count();
        if (!repeated_ids.empty()) bury_repeated(generation, repeated_ids);
        Xapian::Database check(generation);  // opens, or throws before the switch
        (void)check;
        index.sync_generation(generation);  // shards were written without fsync
        std::string previous = index.switch_to(generation);
        // From here on the new index is live: clean-up failures are only warnings.
        std::error_code ec;
        fs::remove_all(work, ec);
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!previous.empty() && previous != generation) {
            // A reader may have read the old stub a moment ago and be opening the old generation.
            std::this_thread::sleep_for(options.grace);
            fs::remove_all(previous, ec);
        }
        if (ec) std::cerr << "dixit-indexer: warning: could not remove an old generation: " << ec.message() << "\n";
        return summary;
    } catch (...) {
        std::error_code ec;
        fs::remove_all(work, ec);
        if (!generation.empty() && index.live_generation() != generation) fs::remove_all(generation, ec);
        throw;
    }
}

IngestSummary rebuild_index(const std::string& dir, const std::vector<std::string>& files, const RebuildOptions& options) {
    IndexLock lock(dir, options.write.lock_wait);
    IndexDir index(dir);
    index.remove_leftovers();
    IngestSummary summary;
    return build_generation(index, [&](const auto& push) {
        RecordFeed feed(files, options.write.ingest, summary);
        IngestedQuote q;
        while (feed.next(q))
            if (!push(std::move(q))) break;  // that builder failed
        return feed.next_sequence();
    }, options, summary);
}

IngestSummary compact_index(const std::string& dir, const RebuildOptions& options) {
    IndexLock lock(dir, options.write.lock_wait);
    IndexDir index(dir);
    index.remove_leftovers();
    const std::string live = index.live_generation();
    if (live.empty()) throw Xapian::DatabaseOpeningError("no Dixit index in " + dir + " (no " + std::string(entry::stub) + " stub)");
    Xapian::Database db(live);
    check_layout(db, "the index at " + dir);
    Tombstones dead;
    dead.load(db);
    RebuildOptions own = options;
    own.keep_published = false;  // every stored record has its published_at
    own.write.ingest.strict = false;
    IngestSummary summary;
    build_generation(index, [&](const auto& push) {
        // In docid order; each quote keeps its sequence number, so ties in date order stay as they were.
        std::uint64_t next = next_sequence(db);
        for (auto it = db.postlist_begin(std::string()), end = db.postlist_end(std::string()); it != end; ++it) {
            if (dead.contains(*it)) continue;
            Xapian::Document doc = db.get_document(*it);
            IngestedQuote q;
            q.quote = quote_from_document(doc);
            q.sequence = sort_key_sequence(doc.get_value(slot::newest_key));
            next = std::max(next, q.sequence + 1);  // an index without the metadata key must not reuse one
            ++summary.read;
            if (!push(std::move(q))) break;
        }
        return next;
    }, own, summary, /*unique_ids=*/true);
    summary.dropped = dead.size();
    return summary;
}

}  // namespace dixit
