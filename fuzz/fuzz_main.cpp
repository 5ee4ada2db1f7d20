// libFuzzer's entry for one target (DIXIT_FUZZ_TARGET names it; see targets.h).
#include "targets.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    dixit::fuzz::DIXIT_FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
