// dixit-indexer: command-line front end (add, delete, rebuild, compact, stats) over the dixit_indexer library.
#include "index_dir.h"
#include "index_writer.h"
#include "rebuild.h"
#include "stats.h"

#include <text.h>

#include <xapian.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

namespace po = boost::program_options;

namespace {

// A whole-number option: boost's lexical_cast would read "--batch -1" as the largest value, so options
// are read by parse_whole() (digits only) through this type's validate() overload.
template <class T>
struct Whole {
    T value;
};

template <class T>
void validate(boost::any& out, const std::vector<std::string>& values, Whole<T>*, int) {
    po::validators::check_first_occurrence(out);
    const std::string& text = po::validators::get_single_string(values);
    const auto n = dixit::parse_whole<T>(text);
    if (!n) throw po::invalid_option_value(text);
    out = Whole<T>{*n};
}

template <class T>
po::typed_value<Whole<T>>* whole(T fallback) {
    return po::value<Whole<T>>()->default_value(Whole<T>{fallback}, std::to_string(fallback));
}

// Exit statuses (documented in README.md and --help).
enum Exit { ok = 0, fatal = 1, usage = 2, rejected = 3, locked = 4 };

const char* overview = R"(dixit-indexer: builds and maintains a Dixit quote index.

Usage:
  dixit-indexer add     --db DIR [options] FILE...   upsert records (FILE "-" is standard input)
  dixit-indexer rebuild --db DIR [options] FILE...   build a new index beside the live one, switch atomically
  dixit-indexer delete  --db DIR ID...               remove quotes by id ("-" reads ids from standard input)
  dixit-indexer compact --db DIR                     rewrite the index without replaced and deleted versions
  dixit-indexer stats   --db DIR [--top N]           print index statistics as JSON
  dixit-indexer COMMAND --help                       options of a command

Input formats (--format, detected when omitted): dixit (JSONL of schema/quote.schema.json), flat (JSONL
with author/date/source as plain strings), quotebank (Quotebank quotation-centric dump), csv (header row;
--map). .gz, .bz2 and .zst files are decompressed transparently.

Exit status: 0 every record indexed; 3 some records were rejected (the good ones are committed);
4 the index is locked by another indexer; 2 usage error; 1 fatal error (nothing more was written).
)";

po::options_description write_options() {
    po::options_description o("Options");
    o.add_options()
        ("help,h", "show this help")
        ("db", po::value<std::string>()->required(), "index directory (created if missing)")
        ("format", po::value<std::string>()->default_value("auto"), "auto | dixit | flat | quotebank | csv")
        ("map", po::value<std::string>(), "CSV column mapping: target=column,... (e.g. text=quote,author.name=speaker)")
        ("list-separator", po::value<char>()->default_value(';'), "CSV: separator inside tags/entities/countries cells")
        ("delimiter", po::value<char>(), "CSV: field delimiter (default ',' or tab for .tsv)")
        ("rejects", po::value<std::string>(), "write rejected records (with file, line and reason) to this JSONL file")
        ("strict", "abort without committing anything if any record is rejected")
        ("batch", whole(dixit::IngestOptions{}.batch_size), "add: commit at least every N records")
        ("commit-interval", po::value<double>()->default_value(dixit::IngestOptions{}.commit_interval, "1"), "add: and at least every SECONDS (how soon new quotes are searchable)")
        ("threads", whole(0u), "rebuild: shard-building threads (0 = one per core)")
        ("wait", po::value<double>()->default_value(0), "wait up to SECONDS for another indexer's lock")
        ("max-line-bytes", whole(std::size_t{1} << 20), "reject input lines longer than this")
        ("index-time", po::value<std::string>(), "RFC 3339 time used as published_at default (default: now)")
        ("flush-threshold", whole(dixit::RebuildOptions{}.flush_threshold), "rebuild: documents each shard buffers between flushes")
        ("keep-published", po::value<bool>()->default_value(true), "rebuild: records without published_at keep the live index's")
        ("no-variants", "do not group near-duplicate quotes into variant groups (to measure what grouping costs)")
        ("progress", po::value<std::string>()->value_name("true|false|json"),
         "progress line on stderr (default: when stderr is a terminal); json: no progress line, but add prints "
         "{\"committed\":N,...} on stderr after each commit: the first N valid records of the input are durable")
        ("quiet,q", "no per-record reject lines on stderr");
    return o;
}

// --wait in seconds, clamped to a day (a huge value would overflow the conversion).
std::chrono::milliseconds lock_wait(const po::variables_map& vm) {
    double seconds = std::clamp(vm["wait"].as<double>(), 0.0, 86400.0);
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
}

dixit::WriteOptions to_write_options(const po::variables_map& vm) {
    dixit::WriteOptions w;
    auto& in = w.ingest;
    in.source.format = dixit::parse_format(vm["format"].as<std::string>());
    if (vm.count("map")) in.source.csv_mapping = dixit::CsvMapping::parse(vm["map"].as<std::string>());
    in.source.csv_mapping.list_separator = vm["list-separator"].as<char>();
    if (vm.count("delimiter")) in.source.csv_delimiter = vm["delimiter"].as<char>();
    in.source.max_line_bytes = vm["max-line-bytes"].as<Whole<std::size_t>>().value;
    if (vm.count("rejects")) in.rejects_path = vm["rejects"].as<std::string>();
    in.strict = vm.count("strict") > 0;
    in.quiet = vm.count("quiet") > 0;
    in.batch_size = std::max<std::size_t>(1, vm["batch"].as<Whole<std::size_t>>().value);
    in.commit_interval = vm["commit-interval"].as<double>();
    in.threads = vm["threads"].as<Whole<unsigned>>().value;
    in.variants = vm.count("no-variants") == 0;
    in.progress = ::isatty(2) == 1;
    if (vm.count("progress")) {
        std::string p = vm["progress"].as<std::string>();
        std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (p == "json") {
            in.progress = false;
            in.commit_lines = true;
        } else if (p == "true" || p == "1" || p == "yes" || p == "on") {
            in.progress = true;
        } else if (p == "false" || p == "0" || p == "no" || p == "off") {
            in.progress = false;
        } else {
            throw po::error("--progress takes true, false or json, not '" + p + "'");
        }
    }
    if (vm.count("index-time")) {
        std::string why;
        auto t = dixit::parse_rfc3339(vm["index-time"].as<std::string>(), &why);
        if (!t) throw std::invalid_argument("--index-time: " + why);
        in.now = *t;
    }
    w.lock_wait = lock_wait(vm);
    if (in.threads > 64) throw std::invalid_argument("--threads: at most 64");
    return w;
}

int report(const dixit::IngestSummary& s, bool strict) {
    bool nothing_written = strict && s.rejected && s.taken() == 0;
    std::cerr << s.to_text() << (nothing_written ? " - strict: nothing was committed" : "") << "\n";
    std::cout << s.to_json() << "\n";
    return s.rejected ? rejected : ok;
}

int run(const std::string& command, int argc, char** argv) {
    const bool own_options = command == "delete" || command == "stats" || command == "compact";
    po::options_description options = own_options ? po::options_description("Options") : write_options();
    if (own_options) {
        options.add_options()("help,h", "show this help")("db", po::value<std::string>()->required(), "index directory");
        if (command != "stats")
            options.add_options()("wait", po::value<double>()->default_value(0), "wait up to SECONDS for another indexer's lock");
        if (command == "compact")
            options.add_options()("threads", whole(0u), "shard-building threads (0 = one per core)");
        if (command == "stats") options.add_options()("top", whole(std::size_t{10}), "top values per facet");
    }
    po::options_description hidden;
    hidden.add_options()("args", po::value<std::vector<std::string>>()->default_value({}, ""), "inputs or ids");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("args", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
        std::cout << "dixit-indexer " << command << "\n\n" << options << "\n";
        return ok;
    }
    po::notify(vm);
    const std::string db = vm["db"].as<std::string>();
    auto args = vm["args"].as<std::vector<std::string>>();

    if (command == "stats") {
        std::cout << dixit::index_stats(db, vm["top"].as<Whole<std::size_t>>().value).dump(2) << "\n";
        return ok;
    }
    if (command == "compact") {
        if (!args.empty()) throw po::error("compact takes no FILE: it reads the records the index stores");
        dixit::RebuildOptions r;
        r.write.lock_wait = lock_wait(vm);
        r.write.ingest.threads = vm["threads"].as<Whole<unsigned>>().value;
        if (r.write.ingest.threads > 64) throw std::invalid_argument("--threads: at most 64");
        return report(dixit::compact_index(db, r), false);
    }
    if (command == "delete") {
        if (args.size() == 1 && args[0] == "-") {
            args.clear();
            for (std::string line; std::getline(std::cin, line);)
                if (!line.empty()) args.push_back(line);
        }
        if (args.empty()) throw po::error("delete needs at least one ID");
        dixit::WriteOptions w;
        w.lock_wait = lock_wait(vm);
        auto summary = dixit::delete_quotes(db, args, w);
        for (const auto& id : summary.not_found) std::cerr << "not found: " << id << "\n";
        std::cerr << "deleted " << summary.deleted.size() << ", not found " << summary.not_found.size() << "\n";
        return ok;
    }
    if (args.empty()) throw po::error(command + " needs at least one FILE (\"-\" for standard input)");
    dixit::WriteOptions w = to_write_options(vm);
    if (command == "add") {
        // A failed commit ends the run at once, even while standard input is idle (tail -f | add -):
        // what was committed before stays, the lock goes with the process.
        w.on_writer_failure = [](const std::string& what) {
            std::cerr << "dixit-indexer add: " << what << " (every batch committed before it is kept)\n";
            std::_Exit(fatal);
        };
        return report(dixit::add_quotes(db, args, w), w.ingest.strict);
    }
    dixit::RebuildOptions r;
    r.write = w;
    r.keep_published = vm["keep-published"].as<bool>();
    r.flush_threshold = vm["flush-threshold"].as<Whole<unsigned>>().value;
    return report(dixit::rebuild_index(db, args, r), w.ingest.strict);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
        std::cout << overview;
        return argc < 2 ? usage : ok;
    }
    if (std::string(argv[1]) == "--version") {
        std::cout << "dixit-indexer " DIXIT_VERSION " (Xapian " << Xapian::version_string() << ")\n";
        return ok;
    }
    std::string command = argv[1];
    if (command != "add" && command != "rebuild" && command != "delete" && command != "compact" && command != "stats") {
        std::cerr << "dixit-indexer: unknown command '" << command << "' (add, rebuild, delete, compact, stats; --help)\n";
        return usage;
    }
    // One table from error to exit status and message.
    auto fail = [&](int status, const std::string& message) {
        std::cerr << "dixit-indexer " << command << ": " << message << "\n";
        return status;
    };
    try {
        return run(command, argc - 1, argv + 1);
    } catch (const po::error& e) {
        return fail(usage, std::string(e.what()) + " (see --help)");
    } catch (const std::invalid_argument& e) {
        return fail(usage, e.what());
    } catch (const dixit::IndexLockedError& e) {
        return fail(locked, e.what());
    } catch (const Xapian::DatabaseLockError& e) {
        return fail(locked, "index is locked by another indexer (" + e.get_msg() + ")");
    } catch (const Xapian::Error& e) {
        return fail(fatal, "index error: " + e.get_description());
    } catch (const std::exception& e) {
        return fail(fatal, e.what());
    } catch (...) {
        return fail(fatal, "unexpected error");
    }
}
