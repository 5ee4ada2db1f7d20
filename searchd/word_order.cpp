// WordOrder: slot::tokens in memory, in chunks shared between states (see word_order.h).
#include "word_order.h"

#include <fields.h>

namespace dixit {
namespace {

std::string document_tokens(const Xapian::Database& db, Xapian::docid did) {
    try {
        return db.get_document(did).get_value(slot::tokens);
    } catch (const Xapian::DocNotFoundError&) {
        return {};  // deleted: it matches nothing
    }
}

}  // namespace

void WordOrder::append_chunk(Chunk&& chunk) {
    chunk.start.resize(chunk_docs + 1, static_cast<std::uint32_t>(chunk.bytes.size()));
    chunk.bytes.shrink_to_fit();
    chunks_.push_back(std::make_shared<const Chunk>(std::move(chunk)));
}

std::shared_ptr<const WordOrder> WordOrder::read(const Xapian::Database& db) {
    auto out = std::make_shared<WordOrder>();
    out->uuid_ = db.get_uuid();
    out->revision_ = db.get_revision();
    out->last_ = db.get_lastdocid();
    Chunk chunk;
    Xapian::docid chunk_first = 0;  // first docid of chunk
    auto fill_to = [&](Xapian::docid did) {  // offsets of chunk's documents before did
        while (chunk.start.size() < did - chunk_first) chunk.start.push_back(static_cast<std::uint32_t>(chunk.bytes.size()));
    };
    for (auto it = db.valuestream_begin(slot::tokens); it != db.valuestream_end(slot::tokens); ++it) {
        const Xapian::docid did = it.get_docid();
        if (did > out->last_) break;
        while (did >= chunk_first + chunk_docs) {
            out->append_chunk(std::move(chunk));
            chunk = Chunk{};
            chunk_first += chunk_docs;
        }
        fill_to(did);
        chunk.start.push_back(static_cast<std::uint32_t>(chunk.bytes.size()));
        chunk.bytes += *it;
    }
    while (chunk_first <= out->last_) {
        out->append_chunk(std::move(chunk));
        chunk = Chunk{};
        chunk_first += chunk_docs;
    }
    return out;
}

std::shared_ptr<const WordOrder> WordOrder::patched(const Xapian::Database& db,
                                                    const std::vector<Xapian::docid>& touched) const {
    auto out = std::make_shared<WordOrder>();
    out->uuid_ = db.get_uuid();
    out->revision_ = db.get_revision();
    out->last_ = std::max(last_, db.get_lastdocid());
    out->chunks_ = chunks_;
    out->chunks_.resize(out->last_ / chunk_docs + 1);
    std::size_t next = 0;
    while (next < touched.size()) {
        const std::size_t k = touched[next] / chunk_docs;
        const Xapian::docid first = static_cast<Xapian::docid>(k * chunk_docs);
        Chunk chunk;
        chunk.start.reserve(chunk_docs + 1);
        for (Xapian::docid did = first; did < first + chunk_docs; ++did) {
            chunk.start.push_back(static_cast<std::uint32_t>(chunk.bytes.size()));
            if (next < touched.size() && touched[next] == did) {
                if (did <= out->last_) chunk.bytes += document_tokens(db, did);
                ++next;
            } else if (k < chunks_.size() && did <= last_) {
                chunk.bytes += get(did);
            }
        }
        chunk.start.push_back(static_cast<std::uint32_t>(chunk.bytes.size()));
        chunk.bytes.shrink_to_fit();
        out->chunks_[k] = std::make_shared<const Chunk>(std::move(chunk));
    }
    // Chunks past the old end that no touched document filled (docids skipped by the writer) stay empty.
    for (auto& c : out->chunks_)
        if (!c) {
            Chunk empty;
            empty.start.assign(chunk_docs + 1, 0);
            c = std::make_shared<const Chunk>(std::move(empty));
        }
    return out;
}

bool WordOrder::describes(const Xapian::Database& db) const {
    return db.get_revision() == revision_ && db.get_uuid() == uuid_;
}

std::string_view WordOrder::get(Xapian::docid did) const {
    if (did > last_) return {};
    const Chunk& c = *chunks_[did / chunk_docs];
    const std::size_t i = did % chunk_docs;
    return std::string_view(c.bytes).substr(c.start[i], c.start[i + 1] - c.start[i]);
}

std::size_t WordOrder::bytes() const {
    std::size_t n = 0;
    for (const auto& c : chunks_) n += c->bytes.capacity() + c->start.capacity() * sizeof(std::uint32_t);
    return n;
}

std::string_view word_order_of(const WordOrder* words, const Xapian::Database& db, Xapian::docid did, std::string& stored) {
    if (words && did <= words->last()) return words->get(did);
    stored = db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(slot::tokens);
    return stored;
}

}  // namespace dixit
