// The search workers: a fixed set of threads, each owning a Searcher, fed by one bounded queue.
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

/// Runs jobs on worker threads. Each thread constructs its own Searcher (a Xapian::Database is not
/// thread-safe) and keeps it for its lifetime. The queue is bounded so that overload is answered at
/// once instead of piling up latency. Thread-safe.
class WorkerPool {
public:
    /// A job gets the Searcher of the thread that runs it.
    using Job = std::function<void(Searcher&)>;

    /// threads >= 1; max_queued = jobs that may wait for a free worker.
    WorkerPool(SearchService& service, unsigned threads, std::size_t max_queued);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Starts the threads and waits until every one has opened the index; returns its document count.
    /// Rethrows the first Searcher constructor's exception (ApiError(IndexUnavailable)) after joining.
    std::uint64_t start();

    /// Queues a job; false when the queue is full or the pool is stopping (the caller answers 503).
    bool try_submit(Job job);

    /// Lets running jobs finish, drops queued ones, joins the threads. Idempotent.
    void stop();

    /// Number of worker threads.
    unsigned size() const { return thread_count_; }

private:
    void work();

    SearchService& service_;
    unsigned thread_count_;
    std::size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable wake_;     ///< a job was queued or stop() was called
    std::condition_variable started_;  ///< a worker finished opening its Searcher (or failed to)
    std::deque<Job> queue_;
    bool stopping_ = false;
    unsigned opened_ = 0;
    unsigned failed_ = 0;
    std::exception_ptr open_error_;
    std::uint64_t documents_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace dixit
