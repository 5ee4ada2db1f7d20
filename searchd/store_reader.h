// The reader thread of the stores that searchd keeps beside the index (columns, vocabulary).
#pragma once

#include <xapian.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace dixit {

/// A store's reader thread: it waits on wake (under mutex) until wanted or stop, clears wanted, and calls
/// read with the index at dir opened anew (so that a rebuild's new generation is followed). A failure (no
/// index yet, a generation removed under it, a writer faster than the read) waits 100 ms; the next request
/// that misses the store's state asks again. The flags belong to the store, guarded by its mutex; declare
/// the reader last among the store's members, so that it starts after them and stops before them.
class StoreReader {
public:
    /// The store's state the thread waits on.
    struct Signals {
        std::mutex& mutex;
        std::condition_variable& wake;
        bool& wanted;
        bool& stop;
    };

    /// Starts the thread, unless enabled is false.
    StoreReader(std::string dir, Signals signals, std::function<void(Xapian::Database&)> read, bool enabled);
    /// Sets stop, wakes the thread and joins it.
    ~StoreReader();
    StoreReader(const StoreReader&) = delete;
    StoreReader& operator=(const StoreReader&) = delete;

private:
    void run();

    std::string dir_;
    Signals signals_;
    std::function<void(Xapian::Database&)> read_;
    std::thread thread_;
};

}  // namespace dixit
