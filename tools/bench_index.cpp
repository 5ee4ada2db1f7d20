// dixit-bench-index: times dixit-indexer rebuild and add on a corpus; prints docs/s, size per quote, peak RSS.
//
// Each step runs the real binary as a child process, so wall time and peak RSS (wait4's ru_maxrss)
// are those of the indexer alone. Usage:
//   dixit-bench-index --indexer build/bin/dixit-indexer --corpus big.jsonl --extra extra.jsonl [--db DIR] [--threads N]
//                     [--commit-interval S]   (passed to add: how often it commits at the least)
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

struct Run {
    double seconds = 0;
    long peak_rss_kb = 0;
    int status = 0;
    nlohmann::json summary;
};

// Runs argv with stdout captured in out_path; returns wall time, peak RSS and exit status.
Run run(const std::vector<std::string>& args, const std::string& out_path) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
        std::perror(argv[0]);
        std::exit(1);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peak_rss_kb = usage.ru_maxrss;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::ifstream in(out_path);
    std::string line;
    if (std::getline(in, line) && !line.empty() && line[0] == '{') r.summary = nlohmann::json::parse(line, nullptr, false);
    posix_spawn_file_actions_destroy(&actions);
    return r;
}

std::uintmax_t dir_size(const std::string& dir) {
    std::uintmax_t total = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file()) total += e.file_size();
    return total;
}

std::string arg(int argc, char** argv, const char* name, const char* fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help") {
        std::cout << "usage: dixit-bench-index --indexer PATH --corpus FILE [--extra FILE] [--db DIR] [--threads N] [--commit-interval S]\n"
                     "Rebuilds an index from --corpus, then adds --extra into it; prints a table.\n";
        return argc < 2 ? 2 : 0;
    }
    std::string indexer = arg(argc, argv, "--indexer", "build/bin/dixit-indexer");
    std::string corpus = arg(argc, argv, "--corpus", "");
    std::string extra = arg(argc, argv, "--extra", "");
    std::string db = arg(argc, argv, "--db", "var/bench-index");
    std::string threads = arg(argc, argv, "--threads", "0");
    std::string commit_interval = arg(argc, argv, "--commit-interval", "1");
    std::filesystem::remove_all(db);
    std::string out = db + ".summary";

    std::printf("| step | quotes | seconds | of which merge | quotes/s | peak RSS MB | index MB | index bytes/quote |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    double total_quotes = 0;  // quotes in the index after the step
    auto row = [&](const char* step, const Run& r) {
        if (r.status != 0 && r.status != 3) {
            std::fprintf(stderr, "%s failed with status %d\n", step, r.status);
            std::exit(1);
        }
        double quotes = r.summary.value("added", 0.0) + r.summary.value("replaced", 0.0);
        total_quotes += r.summary.value("added", 0.0);
        double size = static_cast<double>(dir_size(db));
        std::printf("| %s | %.0f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f |\n", step, quotes, r.seconds,
                    r.summary.value("merge_seconds", 0.0), quotes / r.seconds,
                    r.peak_rss_kb / 1024.0, size / 1e6, total_quotes > 0 ? size / total_quotes : 0.0);
        std::fflush(stdout);
    };
    Run rebuild = run({indexer, "rebuild", "--db", db, "--progress=false", "--quiet", "--threads", threads, corpus}, out);
    row("rebuild", rebuild);
    if (!extra.empty()) {
        Run add = run({indexer, "add", "--db", db, "--progress=false", "--quiet", "--commit-interval", commit_interval, extra}, out);
        row("add into it", add);
    }
    std::filesystem::remove(out);
    return 0;
}
