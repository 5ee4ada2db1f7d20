// add and delete on the live generation: a reading/building thread feeds one Xapian writer thread.
#include "index_writer.h"

#include "index_dir.h"
#include "work_queue.h"

#include <document.h>
#include <fields.h>

#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <unistd.h>

namespace dixit {
namespace {

// A built document on its way to the writer.
struct PendingDocument {
    Xapian::Document doc;
    std::string id_term;
    bool published_defaulted = false;
};

// Keeps the first published_at of a quote that is replaced without one: "when it entered the archive".
void keep_published_at(Xapian::WritableDatabase& db, Xapian::docid existing, PendingDocument& pending) {
    std::string old = db.get_document(existing).get_value(slot::published_at);
    if (old.empty()) return;
    pending.doc.add_value(slot::published_at, old);
    auto data = nlohmann::json::parse(pending.doc.get_data());
    data["published_at"] = format_rfc3339(static_cast<std::int64_t>(Xapian::sortable_unserialise(old)));
    pending.doc.set_data(data.dump());
}

// Spools standard input to a temporary file so that --strict can read it twice.
std::string spool_stdin(const std::string& dir) {
    std::string path = dir + "/.stdin-" + std::to_string(::getpid());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << std::cin.rdbuf();
    if (!out.flush()) throw InputError("cannot spool standard input to " + path);
    return path;
}

}  // namespace

IngestSummary add_quotes(const std::string& dir, const std::vector<std::string>& input_files, const WriteOptions& options) {
    IndexLock lock(dir, options.lock_wait);
    IndexDir index(dir);
    std::vector<std::string> files = input_files;
    std::string spooled;
    auto start = std::chrono::steady_clock::now();
    IngestSummary summary;

    if (options.ingest.strict) {
        for (auto& f : files)
            if (f == "-") f = spooled = spool_stdin(dir);
        IngestSummary check;
        {
            RecordFeed feed(files, options.ingest, check);
            IngestedQuote q;
            while (feed.next(q)) {
            }
        }
        if (check.rejected > 0) {
            if (!spooled.empty()) std::filesystem::remove(spooled);
            check.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return check;  // nothing written
        }
    }

    Xapian::WritableDatabase db(index.live_generation_or_create(), Xapian::DB_OPEN);
    WorkQueue<PendingDocument> queue(256);
    std::exception_ptr writer_error;
    std::thread writer([&] {
        try {
            std::size_t uncommitted = 0;
            auto last_commit = std::chrono::steady_clock::now();
            while (auto pending = queue.pop()) {
                Xapian::PostingIterator existing = db.postlist_begin(pending->id_term);
                if (existing != db.postlist_end(pending->id_term)) {
                    if (pending->published_defaulted) keep_published_at(db, *existing, *pending);
                    db.replace_document(*existing, pending->doc);
                    ++summary.replaced;
                } else {
                    db.add_document(pending->doc);
                    ++summary.added;
                }
                // Commit by size or by time, so that a slow stream still becomes searchable quickly.
                auto now = std::chrono::steady_clock::now();
                if (++uncommitted >= options.ingest.batch_size ||
                    std::chrono::duration<double>(now - last_commit).count() >= options.ingest.commit_interval) {
                    db.commit();
                    uncommitted = 0;
                    last_commit = now;
                }
            }
            db.commit();
        } catch (...) {
            writer_error = std::current_exception();
            queue.close();
        }
    });

    try {
        RecordFeed feed(files, options.ingest, summary);
        DocumentBuilder builder;
        IngestedQuote q;
        while (feed.next(q)) {
            PendingDocument pending{builder.build(q.quote), id_term(q.quote.id), q.published_defaulted};
            if (!queue.push(std::move(pending))) break;  // the writer failed
        }
    } catch (...) {
        queue.close();
        writer.join();
        if (!spooled.empty()) std::filesystem::remove(spooled);
        throw;  // the writer drained the queue and committed: records read before the failure are kept
    }
    queue.close();
    writer.join();
    if (!spooled.empty()) std::filesystem::remove(spooled);
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
    Xapian::WritableDatabase db(live, Xapian::DB_OPEN);
    for (const auto& id : ids) {
        std::string term = id_term(id);
        if (db.term_exists(term)) {
            db.delete_document(term);
            summary.deleted.push_back(id);
        } else {
            summary.not_found.push_back(id);
        }
    }
    db.commit();
    return summary;
}

}  // namespace dixit
