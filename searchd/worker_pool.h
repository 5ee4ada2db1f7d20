// The search workers: a fixed set of threads, each owning a Searcher, fed by two bounded queues (lanes).
#pragma once

#include "searcher.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dixit {

/// Which workers take a job. Searches may take up to --max-search-ms each; quick jobs (health, metrics,
/// the page's files, a quote by id, a cached answer) have a worker of their own besides, so that as many
/// slow searches as there are workers never hold them up.
enum class Lane { Search, Quick };

/// Runs jobs on worker threads. Each thread constructs its own Searcher (a Xapian::Database is not
/// thread-safe) and keeps it for its lifetime. The search workers take the oldest job of either lane;
/// one more worker takes quick jobs only. Each lane's queue is bounded so that overload is answered at
/// once instead of piling up latency. Thread-safe.
class WorkerPool {
public:
    /// A job gets the Searcher of the thread that runs it.
    using Job = std::function<void(Searcher&)>;

    /// threads >= 1 search workers (plus the quick one); max_queued = jobs that may wait in each lane.
    WorkerPool(SearchService& service, unsigned threads, std::size_t max_queued);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Starts the threads and waits until every one has opened the index; returns its document count.
    /// Rethrows the first Searcher constructor's exception (ApiError(IndexUnavailable)) after joining.
    std::uint64_t start();

    /// Queues a job; false when its lane's queue is full or the pool is stopping (the caller answers 503).
    bool try_submit(Job job, Lane lane = Lane::Search);

    /// Lets running jobs finish, drops queued ones, joins the threads. Idempotent.
    void stop();

    /// Number of search worker threads (the quick worker is not counted).
    unsigned size() const { return thread_count_; }

private:
    struct Queued {
        std::uint64_t order;  ///< submission order across both lanes
        Job job;
    };
    void work(bool quick_only);
    /// The next job for a worker, or false when stopping; call with mutex_ held.
    bool take(bool quick_only, Job& job);

    SearchService& service_;
    unsigned thread_count_;
    std::size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable wake_;        ///< a job was queued or stop() was called (search workers)
    std::condition_variable wake_quick_;  ///< a quick job was queued or stop() was called (the quick worker)
    std::condition_variable started_;     ///< a worker finished opening its Searcher (or failed to)
    std::deque<Queued> search_queue_;
    std::deque<Queued> quick_queue_;
    std::uint64_t submitted_ = 0;
    bool stopping_ = false;
    unsigned opened_ = 0;
    unsigned failed_ = 0;
    std::exception_ptr open_error_;
    std::uint64_t documents_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace dixit
