// The posting-list evaluation of the column path (searchd/docset.h): the same documents as Xapian's matcher,
// exclusions and nested negations included, without a copy of the whole index per level of nesting.
#include <catch2/catch.hpp>

#include <docset.h>
#include <query_parser.h>

#include <xapian.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <malloc.h>

// Heap bytes in use while a test measures them, and their peak: operator new and delete are replaced for
// the whole test binary, and count only between start_counting() and the end of the measurement.
namespace {
std::atomic<bool> counting{false};
std::atomic<long long> in_use{0}, peak{0};

void start_counting() {
    in_use = 0;
    peak = 0;
    counting = true;
}
}  // namespace

void* operator new(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    if (counting) {
        long long now = in_use += static_cast<long long>(malloc_usable_size(p));
        for (long long seen = peak; now > seen && !peak.compare_exchange_weak(seen, now);) {
        }
    }
    return p;
}
void operator delete(void* p) noexcept {
    if (p && counting) in_use -= static_cast<long long>(malloc_usable_size(p));
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

using namespace dixit;

namespace {

// Document d has "a" when d % 2 == 0, "b" when d % 3 == 0, "c" when d % 5 == 0 (d from 1).
Xapian::WritableDatabase small_index() {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (unsigned d = 1; d <= 60; ++d) {
        Xapian::Document doc;
        doc.add_term("x");
        if (d % 2 == 0) doc.add_term("a");
        if (d % 3 == 0) doc.add_term("b");
        if (d % 5 == 0) doc.add_term("c");
        db.add_document(doc);
    }
    return db;
}

DocList matcher_docs(const Xapian::Database& db, const Xapian::Query& q) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    DocList out;
    Xapian::MSet matches = enquire.get_mset(0, db.get_doccount());
    for (auto it = matches.begin(); it != matches.end(); ++it) out.push_back(*it);
    std::sort(out.begin(), out.end());
    return out;
}

Xapian::Query parsed(std::string_view q) {
    static Tokenizer tokenizer;
    return QueryParser(tokenizer).parse(q, QueryOptions{}).query;
}

// q nested in `levels` exclusions: -(-(...-(q)...)).
std::string nested_exclusions(unsigned levels, const std::string& q) {
    std::string out;
    for (unsigned i = 0; i < levels; ++i) out += "-(";
    return out + q + std::string(levels, ')');
}

}  // namespace

TEST_CASE("posting-list evaluation finds what Xapian's matcher finds", "[docset]") {
    Xapian::WritableDatabase db = small_index();
    const Xapian::Query all(std::string{}), a("a"), b("b"), c("c");
    using Q = Xapian::Query;
    const std::vector<std::pair<std::string, Xapian::Query>> cases = {
        {"a", parsed("a")},
        {"-a", parsed("-a")},
        {"-(-a)", parsed("-(-a)")},
        {"-(-(-a))", parsed("-(-(-a))")},
        {"a -b", parsed("a -b")},
        {"-a -b", parsed("-a -b")},
        {"-a b", parsed("-a b")},
        {"(-a) OR b", parsed("(-a) OR b")},
        {"(-a) OR (-b)", parsed("(-a) OR (-b)")},
        {"a (-b) (-c)", parsed("a (-b) (-c)")},
        {"-(a -b)", parsed("-(a -b)")},
        {"-(a OR b) c", parsed("-(a OR b) c")},
        {"a OR (-(b c))", parsed("a OR (-(b c))")},
        {"(-(-a)) (-(-b))", parsed("(-(-a)) (-(-b))")},
        {"-(-a -b)", parsed("-(-a -b)")},
        {"(-a) (-(-b)) OR c", parsed("(-a) (-(-b)) OR c")},
        {"31 nested exclusions of a", parsed(nested_exclusions(31, "a"))},
        {"30 nested exclusions of a b", parsed(nested_exclusions(30, "a b"))},
        {"empty q", parsed("")},
        {"AND of complements", Q(Q::OP_AND, Q(Q::OP_AND_NOT, all, a), Q(Q::OP_AND_NOT, all, b))},
        {"complement AND_NOT complement", Q(Q::OP_AND_NOT, Q(Q::OP_AND_NOT, all, a), Q(Q::OP_AND_NOT, all, b))},
        {"term AND_NOT complement", Q(Q::OP_AND_NOT, c, Q(Q::OP_AND_NOT, all, a))},
        {"complement OR complement", Q(Q::OP_OR, Q(Q::OP_AND_NOT, all, a), Q(Q::OP_AND_NOT, all, b))},
        {"FILTER by a complement", Q(Q::OP_FILTER, c, Q(Q::OP_AND_NOT, Q::MatchAll, b))},
        {"AND_NOT of everything", Q(Q::OP_AND_NOT, a, all)},
        {"complement of nothing", Q(Q::OP_AND_NOT, all, Q::MatchNothing)},
        {"OR with nothing", Q(Q::OP_OR, Q(Q::OP_AND_NOT, all, a), Q::MatchNothing)},
    };
    for (const auto& [name, q] : cases) {
        INFO(name << ": " << q.get_description());
        auto docs = evaluate(db, q);
        REQUIRE(docs.has_value());
        CHECK(*docs == matcher_docs(db, q));
    }
}

TEST_CASE("nested exclusions do not copy the whole index per level", "[docset]") {
    // 100,000 documents, "a" in every 100th: the list of every document is 400 KB.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (unsigned d = 1; d <= 100'000; ++d) {
        Xapian::Document doc;
        doc.add_term(d % 100 == 0 ? "a" : "x");
        db.add_document(doc);
    }
    const long long universe_bytes = 100'000 * sizeof(Xapian::docid);
    for (unsigned levels : {30u, 31u}) {
        INFO(levels << " levels of -( ... )");
        Xapian::Query q = parsed(nested_exclusions(levels, "a"));
        start_counting();
        auto docs = evaluate(db, q);
        counting = false;
        REQUIRE(docs.has_value());
        CHECK(docs->size() == (levels % 2 ? 99'000u : 1'000u));  // an odd number of exclusions excludes a
        INFO("peak heap during evaluate(): " << peak << " bytes");
        CHECK(peak < 2 * universe_bytes);  // at most the answer itself beside the small lists
    }
}
