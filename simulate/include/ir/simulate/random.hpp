#pragma once
// The replay's only source of chance: a seeded xoshiro256** and distributions computed
// here, not by <random> (whose distributions differ between standard libraries), so the same
// seed gives the same run, byte for byte.
#include <cstddef>
#include <cstdint>
#include <span>

#include "ir/sla/time.hpp"

namespace ir::simulate {

class Random {
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();
    double uniform();                  // [0, 1)
    bool chance(double p);             // true with probability p
    std::size_t below(std::size_t n);  // [0, n); n > 0
    double normal();                   // mean 0, standard deviation 1
    // exp(N(ln median, sigma)): half the draws below `median`; at least 1 ms.
    sla::Duration lognormal(sla::Duration median, double sigma);
    // An index drawn in proportion to `weights` (not all zero).
    std::size_t weighted(std::span<const double> weights);

private:
    std::uint64_t s_[4];
};

}  // namespace ir::simulate
