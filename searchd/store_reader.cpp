// The reader thread of searchd's stores (store_reader.h).
#include "store_reader.h"

#include <chrono>

namespace dixit {

StoreReader::StoreReader(std::string dir, Signals signals, std::function<void(Xapian::Database&)> read, bool enabled)
    : dir_(std::move(dir)), signals_(signals), read_(std::move(read)) {
    if (enabled) thread_ = std::thread([this] { run(); });
}

StoreReader::~StoreReader() {
    {
        std::lock_guard lock(signals_.mutex);
        signals_.stop = true;
    }
    signals_.wake.notify_all();
    if (thread_.joinable()) thread_.join();
}

void StoreReader::run() {
    for (;;) {
        {
            std::unique_lock lock(signals_.mutex);
            signals_.wake.wait(lock, [this] { return signals_.stop || signals_.wanted; });
            if (signals_.stop) return;
            signals_.wanted = false;
        }
        try {
            Xapian::Database db(dir_);
            read_(db);
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } catch (const Xapian::Error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

}  // namespace dixit
