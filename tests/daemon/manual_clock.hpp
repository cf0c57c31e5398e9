#pragma once
// The one fake the shell's tests use: a wall clock that moves only when told.
#include "ir/daemon/wall_clock.hpp"

namespace ir::daemon::test {

class ManualClock final : public WallClock {
public:
    explicit ManualClock(sla::TimePoint start) : now_(start) {}
    sla::TimePoint now() const override { return now_; }
    void advance(sla::Duration d) { now_ += d; }

private:
    sla::TimePoint now_;
};

}  // namespace ir::daemon::test
