// WorkerPool: threads that own a Searcher each and take jobs from two bounded queues.
#include "worker_pool.h"

namespace dixit {

WorkerPool::WorkerPool(SearchService& service, unsigned threads, std::size_t max_queued)
    : service_(service), thread_count_(threads == 0 ? 1 : threads), max_queued_(max_queued) {}

WorkerPool::~WorkerPool() { stop(); }

std::uint64_t WorkerPool::start() {
    threads_.reserve(thread_count_ + 1);
    for (unsigned i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { work(false); });
    threads_.emplace_back([this] { work(true); });
    std::exception_ptr error;
    std::uint64_t documents = 0;
    {
        std::unique_lock lock(mutex_);
        started_.wait(lock, [this] { return opened_ + failed_ == thread_count_ + 1; });
        error = open_error_;
        documents = documents_;
    }
    if (error) {
        stop();
        std::rethrow_exception(error);
    }
    return documents;
}

bool WorkerPool::try_submit(Job job, Lane lane) {
    {
        std::lock_guard lock(mutex_);
        auto& queue = lane == Lane::Quick ? quick_queue_ : search_queue_;
        if (stopping_ || queue.size() >= max_queued_) return false;
        queue.push_back({submitted_++, std::move(job)});
    }
    wake_.notify_one();
    if (lane == Lane::Quick) wake_quick_.notify_one();  // whichever is free first takes it
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        search_queue_.clear();  // their sessions are being torn down; nobody would read the answers
        quick_queue_.clear();
    }
    wake_.notify_all();
    wake_quick_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
    threads_.clear();
}

bool WorkerPool::take(bool quick_only, Job& job) {
    if (stopping_) return false;
    std::deque<Queued>* from = &quick_queue_;
    if (!quick_only && (quick_queue_.empty() ||
                        (!search_queue_.empty() && search_queue_.front().order < quick_queue_.front().order)))
        from = &search_queue_;
    job = std::move(from->front().job);
    from->pop_front();
    return true;
}

void WorkerPool::work(bool quick_only) {
    // The Searcher is built on this thread and never leaves it.
    std::optional<Searcher> searcher;
    try {
        searcher.emplace(service_);
        std::uint64_t documents = searcher->documents();
        std::lock_guard lock(mutex_);
        ++opened_;
        documents_ = documents;
    } catch (...) {
        std::lock_guard lock(mutex_);
        ++failed_;
        if (!open_error_) open_error_ = std::current_exception();
    }
    started_.notify_all();
    if (!searcher) return;

    auto& wake = quick_only ? wake_quick_ : wake_;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake.wait(lock, [&] {
                return stopping_ || !quick_queue_.empty() || (!quick_only && !search_queue_.empty());
            });
            if (!take(quick_only, job)) return;
        }
        // Jobs answer their own errors (handle() never throws); this keeps the worker alive regardless.
        try {
            job(*searcher);
        } catch (...) {
        }
    }
}

}  // namespace dixit
