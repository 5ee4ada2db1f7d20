// A worker's view of the index (its own Xapian::Database, reopened when the index changes) and the shared service.
#pragma once

#include "columns.h"
#include "highlight.h"
#include "metrics.h"
#include "query_parser.h"
#include "response_cache.h"
#include "settings.h"
#include "spelling.h"

#include <facets.h>
#include <fields.h>
#include <tokenizer.h>
#include <tombstones.h>

#include <xapian.h>

#include <chrono>
#include <map>
#include <atomic>
#include <mutex>
#include <utility>
#include <vector>
#include <string>
#include <sys/types.h>

namespace dixit {

/// State all workers share: settings, metrics, the response cache. Thread-safe.
class SearchService {
public:
    explicit SearchService(Settings settings);
    const Settings& settings() const { return settings_; }
    Metrics& metrics() { return metrics_; }
    ResponseCache& cache() { return cache_; }
    ColumnStore& columns() { return columns_; }
    VocabularyStore& vocabulary() { return vocabulary_; }
    /// The index state a worker opened last (Searcher::revision_key()), to look the cache up before a
    /// request is given to a worker; empty until one has.
    std::string revision_key() const;
    /// Records the state a worker has just opened.
    void set_revision_key(const std::string& key);
    /// A write of this server committed: every worker reopens the index at its next request, so that the
    /// write is seen by the next search whichever worker takes it.
    void note_write() { ++writes_; }
    /// Writes noted so far.
    std::uint64_t writes() const { return writes_.load(); }

private:
    Settings settings_;
    Metrics metrics_;
    ResponseCache cache_;
    ColumnStore columns_;
    VocabularyStore vocabulary_;
    mutable std::mutex revision_mutex_;
    std::string revision_key_;
    std::atomic<std::uint64_t> writes_{0};
};

/// One worker thread's searcher. A Xapian::Database is not thread-safe, so each worker owns one, and
/// with it a tokenizer, parser and highlighter. Not thread-safe.
class Searcher {
public:
    /// Opens the index; throws ApiError(IndexUnavailable) when it cannot be opened.
    explicit Searcher(SearchService& service);

    /// Picks up index changes: a new generation (the XAPIANDB stub replaced by a rebuild) is opened anew,
    /// new commits by reopen(). Checks at most every settings().reopen_interval unless force is set.
    /// With columns, a new generation is opened once its columns are held (or after settings().switch_wait):
    /// until then the old one is served, its files open though deleted.
    void refresh(bool force = false);

    /// Runs f() and, when the index changed under it (DatabaseModifiedError, a generation removed),
    /// reopens and runs it again; the caller sees one consistent answer.
    template <class F>
    auto run(F&& f) -> decltype(f()) {
        for (int attempt = 1;; ++attempt) {
            try {
                refresh(attempt > 1);  // inside: reading the new state's tombstones may meet a commit too
                return f();
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt >= max_attempts) throw;
            } catch (const Xapian::DatabaseError&) {  // a generation deleted under an old handle
                if (attempt >= max_attempts) throw;
            }
        }
    }

    Xapian::Database& db() { return db_; }
    /// The dead documents of the open index state (superseded or deleted quotes): never matched or counted.
    const Tombstones& tombstones() const { return dead_; }
    /// Live documents of the open index state.
    Xapian::doccount documents() const { return live_count(db_, dead_); }
    /// The in-memory columns of the open index state, or nullptr while another worker builds them
    /// (the caller then answers through Xapian's matcher). wait: build them if needed, however long.
    std::shared_ptr<const Columns> columns(bool wait = false) { return service_.columns().get(db_, wait); }

    /// Identity of the open index state: the generation's UUID and the revision, the cache key's prefix.
    const std::string& revision_key() const { return revision_key_; }
    Tokenizer& tokenizer() { return tokenizer_; }
    /// This worker's facet keys of stored values (facet_key(), remembered).
    FacetKeys& facet_keys() { return facet_keys_; }
    const QueryParser& parser() const { return parser_; }
    Highlighter& highlighter() { return highlighter_; }
    SearchService& service() { return service_; }
    const Settings& settings() const { return service_.settings(); }

    /// One entry of a field's list of values.
    struct FieldValue {
        std::string key;   ///< facet key: the folded value (its filter term without prefix), or "#" + a speaker's id
        std::string name;  ///< the folded value it is listed and looked up under (a speaker's: its most frequent name)
        Xapian::doccount count = 0;  ///< live quotes
    };
    /// A filter field's values in the index with their quote counts, most frequent first, from the filter
    /// terms; authors known by an id count once per speaker (schema/speakers.h). Cached per revision
    /// (type-ahead lists of /facets/{field}).
    const std::vector<FieldValue>& field_values(const FieldSpec& field);

    /// Stemmer names of the languages in the index (cached per revision), for plain query words.
    const std::vector<std::string>& index_stem_languages();

private:
    static constexpr int max_attempts = 4;
    void open();
    bool switch_ready(ino_t inode);
    void update_status();
    Xapian::doccount live_postings(const std::string& term) const;
    Xapian::doccount live_in_both(const std::string& a, const std::string& b) const;
    void merge_speakers(std::vector<FieldValue>& values);

    SearchService& service_;
    Xapian::Database db_;
    Tombstones dead_;
    ino_t stub_inode_ = 0;
    struct Pending {  ///< a new generation not yet switched to: its columns are being built
        ino_t inode = 0;
        std::string uuid;
        std::chrono::steady_clock::time_point since{};
    } pending_;
    std::chrono::steady_clock::time_point last_check_{};
    std::uint64_t seen_writes_ = 0;  ///< SearchService::writes() at the last check
    std::string revision_key_;
    std::string languages_key_;
    std::vector<std::string> stem_languages_;
    struct FieldValues {
        std::string revision_key;
        std::vector<FieldValue> values;
    };
    std::map<std::string, FieldValues, std::less<>> field_values_;
    Tokenizer tokenizer_;
    FacetKeys facet_keys_{tokenizer_};
    QueryParser parser_;
    Highlighter highlighter_;
};

}  // namespace dixit
