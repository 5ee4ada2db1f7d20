// dixit-searchd: reads flags and DIXIT_* environment variables into Settings and runs the HTTP server.
#include "access_keys.h"
#include "allowed_hosts.h"
#include "http_server.h"

#include <index_dir.h>
#include <text.h>

#include <xapian.h>

#include <boost/program_options.hpp>

#include <cctype>
#include <charconv>
#include <csignal>
#include <filesystem>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace po = boost::program_options;
using dixit::Settings;

namespace {

// What a killed indexer left in the index directory (never the live generation), removed when no indexer
// is running; a directory we cannot lock (read-only, another writer at work) is left as it is.
void remove_leftovers(const std::string& db) {
    std::error_code ec;
    if (!std::filesystem::exists(dixit::stub_path(db), ec)) return;
    try {
        dixit::IndexLock lock(db, std::chrono::milliseconds(0));
        dixit::IndexDir(db).remove_leftovers();
    } catch (const dixit::IndexLockedError&) {
        // an indexer is at work: what looks left over may be its own
    } catch (const std::exception& e) {
        std::cerr << "dixit-searchd: warning: leftovers of an indexer not removed: " << e.what() << "\n";
    }
}

// Exit statuses (documented in --help).
enum Exit { ok = 0, fatal = 1, usage = 2 };

const char* overview = R"text(dixit-searchd: the Dixit search server (HTTP/1.1 JSON API over a dixit-indexer index).

Usage:
  dixit-searchd --db DIR [--listen ADDRESS] [--threads N] [--access-log] [options]

--listen takes HOST:PORT, [IPV6]:PORT, :PORT or PORT; without a host it binds 127.0.0.1 (loopback
only). Use 0.0.0.0:PORT or [::]:PORT to listen on every interface.
Port 0 picks a free port; the line printed when ready shows the real one.

Against DNS rebinding, a request whose Host header names another host than the listen address gets a
403 (host_not_allowed): on loopback, localhost names are answered too; on 0.0.0.0 or [::], any IP
address. Add the names the server is reached by with --allowed-hosts (dixit.example.org,search.lan),
or * to answer any Host (behind a proxy that checks it). Requests without a Host header are answered.

Writes (DELETE /quotes/{id}) are off unless --write-key-file names a file, readable by its owner only,
that holds the key; a write then carries "Authorization: Bearer KEY". --read-key-file makes the archive
private: every API read needs that key (or the write key); /health and the page's files stay open.

Every option can also be set by an environment variable DIXIT_<NAME>, the option name in upper case with
'-' as '_' (DIXIT_DB, DIXIT_LISTEN, DIXIT_THREADS, DIXIT_MAX_BODY_BYTES...). Options on the command line
win over the environment.

When ready it prints "dixit-searchd listening on http://HOST:PORT (...)" on stderr. SIGTERM or SIGINT
stops it: no new connections, requests in flight are answered (for up to 5 s), then it exits 0.

Exit status: 0 stopped by a signal; 2 usage error; 1 the index cannot be opened or the address cannot
be bound.
)text";

// A numeric setting: its flag, what it means, its bounds, and where it lives in Settings.
struct NumberOption {
    const char* name;
    const char* value_name;
    const char* help;
    std::uint64_t min, max;
    std::function<std::uint64_t(const Settings&)> get;
    std::function<void(Settings&, std::uint64_t)> set;
};

std::uint64_t count_of(std::uint64_t n) { return n; }
std::uint64_t count_of(std::chrono::milliseconds ms) { return static_cast<std::uint64_t>(ms.count()); }
template <class T>
void assign(T& field, std::uint64_t n) { field = static_cast<T>(n); }
void assign(std::chrono::milliseconds& field, std::uint64_t n) { field = std::chrono::milliseconds(n); }

// Getter and setter of one Settings member, so that the table below stays one line per option.
#define DIXIT_FIELD(member)                                                              \
    [](const Settings& s) -> std::uint64_t { return count_of(s.member); },                \
        [](Settings& s, std::uint64_t n) { assign(s.member, n); }

constexpr std::uint64_t day_ms = 24ull * 3600 * 1000;
constexpr std::uint64_t gib = 1ull << 30;

const std::vector<NumberOption>& number_options() {
    static const std::vector<NumberOption> table = {
        {"threads", "N", "search worker threads (0 = one per core)", 0, 1024, DIXIT_FIELD(threads)},
        {"reopen-interval-ms", "MS", "how often a worker checks the index for changes", 0, day_ms, DIXIT_FIELD(reopen_interval)},
        {"switch-wait-ms", "MS", "longest the old generation is served after a rebuild while the new one's columns are built", 0, day_ms, DIXIT_FIELD(switch_wait)},
        {"cache-bytes", "BYTES", "response cache size (0 = no cache); a response over 1/8 of it is not cached", 0, 64 * gib, DIXIT_FIELD(cache_bytes)},
        {"max-body-bytes", "BYTES", "largest request body (413 beyond)", 0, gib, DIXIT_FIELD(server.max_body_bytes)},
        {"max-header-bytes", "BYTES", "largest request line, and largest header block (431 beyond)", 256, 1u << 24, DIXIT_FIELD(server.max_header_bytes)},
        {"max-url-bytes", "BYTES", "longest request target (414 beyond)", 16, 1u << 24, DIXIT_FIELD(server.max_url_bytes)},
        {"max-connections", "N", "open connections (503 and close beyond)", 1, 1'000'000, DIXIT_FIELD(server.max_connections)},
        {"max-queued-requests", "N", "requests waiting for a worker (503 beyond)", 1, 1'000'000, DIXIT_FIELD(server.max_queued_requests)},
        {"read-timeout-ms", "MS", "time to receive a whole request from its first byte (408 beyond)", 1, day_ms, DIXIT_FIELD(server.read_timeout)},
        {"idle-timeout-ms", "MS", "keep-alive connection without a request is closed after this", 1, day_ms, DIXIT_FIELD(server.idle_timeout)},
        {"write-timeout-ms", "MS", "time to send one response", 1, day_ms, DIXIT_FIELD(server.write_timeout)},
        {"default-per-page", "N", "results per page when per_page is not given", 1, 100'000, DIXIT_FIELD(search.default_per_page)},
        {"max-per-page", "N", "largest per_page", 1, 100'000, DIXIT_FIELD(search.max_per_page)},
        {"max-page-depth", "N", "largest page * per_page (deeper in date order: use the cursor)", 1, 1'000'000'000, DIXIT_FIELD(search.max_page_depth)},
        {"max-facet-size", "N", "values per facet in one response", 1, 1'000'000, DIXIT_FIELD(search.max_facet_size)},
        {"max-filter-values", "N", "values of all URL filters together", 1, 100'000, DIXIT_FIELD(search.max_filter_values)},
        {"max-latest-hours", "N", "longest period of /latest, in hours", 1, 1'000'000, DIXIT_FIELD(search.max_latest_hours)},
        {"exact-total-up-to", "N", "totals of at most N matches are exact (above: total_is_estimate may be true)", 0, 1'000'000'000, DIXIT_FIELD(search.exact_total_up_to)},
        {"max-search-ms", "MS", "time budget of one search (503 search_timeout beyond; 0 = none)", 0, day_ms, DIXIT_FIELD(search.max_search)},
        {"max-query-chars", "N", "longest q, in characters", 1, 1'000'000, DIXIT_FIELD(search.query.max_query_chars)},
        {"max-terms", "N", "words, phrase words, prefixes and field filters in one q", 1, 100'000, DIXIT_FIELD(search.query.max_terms)},
        {"max-query-depth", "N", "groups in parentheses nested inside each other in one q", 1, 1000, DIXIT_FIELD(search.query.max_query_depth)},
        {"max-wildcard-expansion", "N", "terms a word* expands to (the most frequent are kept)", 1, 1'000'000, DIXIT_FIELD(search.query.max_wildcard_expansion)},
        {"min-prefix-chars", "N", "shortest word* prefix, in characters", 1, 1000, DIXIT_FIELD(search.query.min_prefix_chars)},
    };
    return table;
}
#undef DIXIT_FIELD

po::options_description options_description() {
    const Settings defaults;
    po::options_description o("Options (defaults in parentheses)", 100);
    o.add_options()
        ("help,h", "show this help")
        ("version", "show the version")
        ("db", po::value<std::string>()->value_name("DIR"), "index directory written by dixit-indexer (required)")
        ("listen", po::value<std::string>()->value_name("ADDRESS")->default_value(defaults.listen), "address to listen on (see above)")
        ("allowed-hosts", po::value<std::string>()->value_name("LIST")->default_value(defaults.allowed_hosts),
         "Host header names answered besides the listen address (and localhost names on loopback), "
         "comma-separated; * answers any (see above)")
        ("write-key-file", po::value<std::string>()->value_name("FILE"),
         "take writes, with the key in FILE (chmod 600; without it, writes are refused with 403)")
        ("read-key-file", po::value<std::string>()->value_name("FILE"),
         "a private archive: API reads need the key in FILE (chmod 600) or the write key")
        ("access-log", po::value<bool>()->value_name("BOOL")->implicit_value(true)->default_value(false),
         "one line per request on stderr: time, client, method, target, status, body bytes, duration")
        ("columns", po::value<bool>()->value_name("BOOL")->implicit_value(true)->default_value(defaults.columns),
         "count facets and sort by date from in-memory columns (about 125 MB per million quotes); "
         "false answers everything through Xapian's matcher")
        ("suggestions", po::value<bool>()->value_name("BOOL")->implicit_value(true)->default_value(defaults.suggestions),
         "\"did you mean\" for misspelt words, from the index's vocabulary held in memory (about 100 bytes per "
         "distinct word)");
    for (const auto& option : number_options())
        o.add_options()(option.name,
                        po::value<std::string>()->value_name(option.value_name)->default_value(std::to_string(option.get(defaults))),
                        option.help);
    return o;
}

// Whole decimal numbers only (parse_whole): lexical_cast would take "-1" as 4294967295.
std::uint64_t parse_number(const NumberOption& option, const std::string& text) {
    const auto parsed = dixit::parse_whole<std::uint64_t>(text);
    if (!parsed) throw std::invalid_argument(std::string("--") + option.name + ": '" + text + "' is not a whole number");
    const std::uint64_t value = *parsed;
    if (value < option.min || value > option.max)
        throw std::invalid_argument(std::string("--") + option.name + ": " + text + " is out of range [" +
                                    std::to_string(option.min) + ", " + std::to_string(option.max) + "]");
    return value;
}

// DIXIT_MAX_BODY_BYTES -> "max-body-bytes"; anything that is not one of our options is ignored.
std::function<std::string(std::string)> environment_mapper(const po::options_description& options) {
    return [&options](std::string name) -> std::string {
        constexpr std::string_view prefix = "DIXIT_";
        if (name.rfind(prefix, 0) != 0) return "";
        std::string option = name.substr(prefix.size());
        for (char& c : option) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (option == "help" || option == "version") return "";
        return options.find_nothrow(option, false) ? option : "";
    };
}

// Returns false when --help or --version was answered.
bool parse_settings(int argc, char** argv, Settings& settings) {
    po::options_description options = options_description();
    po::variables_map vm;
    // Command line first: store() keeps the first value it sees, so flags win over the environment.
    po::positional_options_description no_positionals;  // without one, stray words would be ignored silently
    po::store(po::command_line_parser(argc, argv).options(options).positional(no_positionals).run(), vm);
    if (vm.count("help")) {
        std::cout << overview << "\n" << options << "\n";
        return false;
    }
    if (vm.count("version")) {
        std::cout << "dixit-searchd " DIXIT_VERSION " (Xapian " << Xapian::version_string() << ")\n";
        return false;
    }
    po::store(po::parse_environment(options, environment_mapper(options)), vm);
    po::notify(vm);

    if (!vm.count("db") || vm["db"].as<std::string>().empty()) throw po::error("--db DIR (or DIXIT_DB) is required");
    settings.db = vm["db"].as<std::string>();
    settings.listen = vm["listen"].as<std::string>();
    settings.allowed_hosts = vm["allowed-hosts"].as<std::string>();
    settings.access_log = vm["access-log"].as<bool>();
    if (vm.count("write-key-file")) settings.write_key = dixit::load_key_file(vm["write-key-file"].as<std::string>(), "write-key-file");
    if (vm.count("read-key-file")) settings.read_key = dixit::load_key_file(vm["read-key-file"].as<std::string>(), "read-key-file");
    settings.columns = vm["columns"].as<bool>();
    settings.suggestions = vm["suggestions"].as<bool>();
    for (const auto& option : number_options())
        option.set(settings, parse_number(option, vm[option.name].as<std::string>()));
    // A bad address or host list is a usage error, reported before anything starts.
    dixit::AllowedHosts(dixit::parse_listen(settings.listen).host, settings.allowed_hosts);
    if (settings.search.default_per_page > settings.search.max_per_page) {
        if (!vm["default-per-page"].defaulted())
            throw std::invalid_argument("--default-per-page must not exceed --max-per-page");
        settings.search.default_per_page = settings.search.max_per_page;  // only --max-per-page was lowered
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // Asio sends with MSG_NOSIGNAL already; this covers stderr piped into a reader that went away.
    std::signal(SIGPIPE, SIG_IGN);
    auto fail = [](int status, const std::string& message) {
        std::cerr << "dixit-searchd: " << message << "\n";
        return status;
    };

    Settings settings;
    try {
        if (!parse_settings(argc, argv, settings)) return ok;
    } catch (const po::error& e) {
        return fail(usage, std::string(e.what()) + " (see --help)");
    } catch (const std::invalid_argument& e) {
        return fail(usage, std::string(e.what()) + " (see --help)");
    }

    try {
        std::error_code ec;
        if (!std::filesystem::exists(settings.db, ec))
            return fail(fatal, "no index at " + settings.db + " (build one with: dixit-indexer rebuild --db " +
                                   settings.db + " FILE...)");
        remove_leftovers(settings.db);
        dixit::SearchService service(settings);
        dixit::HttpServer server(service);
        server.bind();  // before opening the index: a busy port is the quicker failure to report
        std::uint64_t documents = server.start_workers();
        // Tests and scripts wait for this line (and read the port from it).
        std::cerr << "dixit-searchd listening on " << server.url() << " (" << server.workers() << " workers, index "
                  << settings.db << ", " << documents << " documents)" << std::endl;
        server.run();
        std::cerr << "dixit-searchd: stopped\n";
        return ok;
    } catch (const Xapian::Error& e) {
        return fail(fatal, "cannot open the index at " + settings.db + ": " + e.get_msg());
    } catch (const std::exception& e) {
        return fail(fatal, e.what());
    } catch (...) {
        return fail(fatal, "unexpected error");
    }
}
