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

// Heap bytes in use while a test measures them, and their peak, counted only between start_counting() and
// the end of the measurement. Normally operator new and delete are replaced for the whole test binary; under
// AddressSanitizer, whose own operator new some allocations reach (a delete of ours would then free() them:
// alloc-dealloc-mismatch), its allocation hooks count instead.
#if defined(__SANITIZE_ADDRESS__)
#define DIXIT_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DIXIT_TEST_ASAN 1
#endif
#endif
#ifdef DIXIT_TEST_ASAN
// From the sanitizers' allocator_interface.h (which Debian's g++ does not ship).
extern "C" {
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                              void (*free_hook)(const volatile void*));
std::size_t __sanitizer_get_allocated_size(const volatile void* p);
}
#endif

namespace {
std::atomic<bool> counting{false};
std::atomic<long long> in_use{0}, peak{0};

void start_counting() {
    in_use = 0;
    peak = 0;
    counting = true;
}

void count_allocation(long long bytes) {
    long long now = in_use += bytes;
    for (long long seen = peak; now > seen && !peak.compare_exchange_weak(seen, now);) {
    }
}
}  // namespace

#ifdef DIXIT_TEST_ASAN
namespace {
void on_malloc(const volatile void*, std::size_t n) {
    if (counting) count_allocation(static_cast<long long>(n));
}
void on_free(const volatile void* p) {
    if (p && counting) in_use -= static_cast<long long>(__sanitizer_get_allocated_size(p));
}
[[maybe_unused]] const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}  // namespace
#else
void* operator new(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    if (counting) count_allocation(static_cast<long long>(malloc_usable_size(p)));
    return p;
}
void operator delete(void* p) noexcept {
    if (p && counting) in_use -= static_cast<long long>(malloc_usable_size(p));
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
#endif

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
        CHECK(peak > 0);                   // the counting saw the answer's allocation (replaced new or hooks)
        CHECK(peak < 2 * universe_bytes);  // at most the answer itself beside the small lists
    }
}
