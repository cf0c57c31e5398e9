// SeqMerger: every alert of the prefix printed once, in seq order, whatever the live
// stream loses or repeats and however the back-fill pages fall.
#include <catch2/catch.hpp>

#include "seq_merger.hpp"

using ir::cli::SeqMerger;
using ir::cli::TailAlert;

namespace {

TailAlert alert(std::uint64_t seq) {
    return {seq, {{"seq", seq}}};
}

std::vector<TailAlert> alerts(std::initializer_list<std::uint64_t> seqs) {
    std::vector<TailAlert> out;
    for (auto s : seqs) out.push_back(alert(s));
    return out;
}

std::vector<std::uint64_t> seqs(const std::vector<TailAlert>& v) {
    std::vector<std::uint64_t> out;
    for (const auto& a : v) out.push_back(a.seq);
    return out;
}

using Seqs = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("live alerts that follow on are printed at once, without asking the API") {
    SeqMerger m(5);
    m.on_live(alert(6));
    m.on_live(alert(7));
    CHECK_FALSE(m.needs_fetch());
    CHECK(seqs(m.take_ready()) == Seqs{6, 7});
    CHECK(m.take_ready().empty());
    CHECK(m.printed_through() == 7);
}

TEST_CASE("live alerts at or below what was printed are dropped") {
    SeqMerger m(5);
    m.on_live(alert(3));
    m.on_live(alert(5));
    CHECK(m.take_ready().empty());
    CHECK_FALSE(m.needs_fetch());
}

TEST_CASE("a jump is held until the API says what came before it") {
    SeqMerger m(5);
    m.on_live(alert(9));
    CHECK(m.needs_fetch());
    CHECK(m.fetch_after() == 5);
    CHECK(m.take_ready().empty());
    m.on_live(alert(11));                                 // more live alerts while the fetch is due: held too
    m.on_fetched(alerts({7, 9, 11}), /*complete=*/true);  // 9 and 11 come back from the API as well
    CHECK(seqs(m.take_ready()) == Seqs{7, 9, 11});
    CHECK_FALSE(m.needs_fetch());
    CHECK(m.printed_through() == 11);
}

TEST_CASE("a jump that was only other topics prints the live alert after an empty answer") {
    SeqMerger m(5);
    m.on_live(alert(9));
    m.on_fetched({}, true);
    CHECK(seqs(m.take_ready()) == Seqs{9});
    m.on_live(alert(10));  // follows on now
    CHECK_FALSE(m.needs_fetch());
    CHECK(seqs(m.take_ready()) == Seqs{10});
}

TEST_CASE("alerts the API returns beyond the live one are printed, and their live copies dropped") {
    SeqMerger m(5);
    m.on_live(alert(9));
    m.on_fetched(alerts({9, 12, 14}), true);
    CHECK(seqs(m.take_ready()) == Seqs{9, 12, 14});
    m.on_live(alert(12));
    m.on_live(alert(14));
    CHECK(m.take_ready().empty());
    m.on_live(alert(15));
    CHECK(seqs(m.take_ready()) == Seqs{15});
}

TEST_CASE("back-fill pages are printed as they come, and the live stream is merged after") {
    SeqMerger m(100, /*backfill=*/true);
    REQUIRE(m.needs_fetch());
    CHECK(m.fetch_after() == 100);
    m.on_live(alert(107));  // arrived while back-filling
    m.on_fetched(alerts({101, 103}), /*complete=*/false);
    CHECK(seqs(m.take_ready()) == Seqs{101, 103});
    CHECK(m.needs_fetch());
    CHECK(m.fetch_after() == 103);
    m.on_fetched(alerts({105, 107, 108}), true);
    CHECK(seqs(m.take_ready()) == Seqs{105, 107, 108});
    CHECK_FALSE(m.needs_fetch());
    m.on_live(alert(107));
    m.on_live(alert(108));
    m.on_live(alert(109));
    CHECK(seqs(m.take_ready()) == Seqs{109});
}

TEST_CASE("a back-fill that finds nothing leaves the start point as it was") {
    SeqMerger m(0, true);
    m.on_fetched({}, true);
    CHECK(m.take_ready().empty());
    CHECK(m.printed_through() == 0);
    m.on_live(alert(1));
    CHECK(seqs(m.take_ready()) == Seqs{1});
}

TEST_CASE("a quiet-time fetch finds the alerts the live stream lost at its end") {
    SeqMerger m(5);
    m.on_live(alert(6));
    CHECK(seqs(m.take_ready()) == Seqs{6});
    m.request_fetch();
    CHECK(m.needs_fetch());
    CHECK(m.fetch_after() == 6);
    m.on_fetched(alerts({8}), true);
    CHECK(seqs(m.take_ready()) == Seqs{8});
    m.request_fetch();
    m.on_fetched({}, true);
    CHECK(m.take_ready().empty());
    CHECK(m.printed_through() == 8);
}

TEST_CASE("a failed fetch keeps what is held, and the retry releases it once") {
    SeqMerger m(5);
    m.on_live(alert(8));
    m.on_live(alert(9));
    // the caller's fetch failed: nothing is fed; more arrives; the retry succeeds
    m.on_live(alert(12));
    CHECK(m.take_ready().empty());
    CHECK(m.fetch_after() == 5);
    m.on_fetched(alerts({6, 8, 9, 12}), true);
    CHECK(seqs(m.take_ready()) == Seqs{6, 8, 9, 12});
}
