#pragma once
// The wall clock the shell reads: injected, so the pipeline can be driven by a manual
// clock in tests and nothing else in the daemon calls system_clock::now() itself.
#include "ir/sla/time.hpp"

namespace ir::daemon {

class WallClock {
public:
    virtual ~WallClock() = default;
    virtual sla::TimePoint now() const = 0;
};

// The system's clock, to the millisecond (the resolution of everything stored).
class SystemClock final : public WallClock {
public:
    sla::TimePoint now() const override;
};

}  // namespace ir::daemon
