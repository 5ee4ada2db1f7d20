// WorkerPool: threads that own a Searcher each and take jobs from one bounded queue.
#include "worker_pool.h"

namespace dixit {

WorkerPool::WorkerPool(SearchService& service, unsigned threads, std::size_t max_queued)
    : service_(service), thread_count_(threads == 0 ? 1 : threads), max_queued_(max_queued) {}

WorkerPool::~WorkerPool() { stop(); }

std::uint64_t WorkerPool::start() {
    threads_.reserve(thread_count_);
    for (unsigned i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { work(); });
    std::exception_ptr error;
    std::uint64_t documents = 0;
    {
        std::unique_lock lock(mutex_);
        started_.wait(lock, [this] { return opened_ + failed_ == thread_count_; });
        error = open_error_;
        documents = documents_;
    }
    if (error) {
        stop();
        std::rethrow_exception(error);
    }
    return documents;
}

bool WorkerPool::try_submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= max_queued_) return false;
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();  // their sessions are being torn down; nobody would read the answers
    }
    wake_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
    threads_.clear();
}

void WorkerPool::work() {
    // The Searcher is built on this thread and never leaves it.
    std::optional<Searcher> searcher;
    try {
        searcher.emplace(service_);
        std::uint64_t documents = searcher->db().get_doccount();
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

    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        // Jobs answer their own errors (handle() never throws); this keeps the worker alive regardless.
        try {
            job(*searcher);
        } catch (...) {
        }
    }
}

}  // namespace dixit
