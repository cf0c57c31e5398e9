#include "ir/simulate/random.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ir::simulate {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
}

std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
}

}  // namespace

Random::Random(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t Random::next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double Random::uniform() {
    return static_cast<double>(next() >> 11U) * 0x1.0p-53;
}

bool Random::chance(double p) {
    return uniform() < p;
}

std::size_t Random::below(std::size_t n) {
    return static_cast<std::size_t>(uniform() * static_cast<double>(n)) % n;
}

// Box-Muller, one value per call (the second is dropped: simpler to keep in step).
double Random::normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

sla::Duration Random::lognormal(sla::Duration median, double sigma) {
    const double ms = static_cast<double>(median.count()) * std::exp(sigma * normal());
    return sla::Duration{std::max<std::int64_t>(1, std::llround(ms))};
}

std::size_t Random::weighted(std::span<const double> weights) {
    double total = 0;
    for (const double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (x < weights[i]) return i;
        x -= weights[i];
    }
    return weights.size() - 1;
}

}  // namespace ir::simulate
