// The response-time ranking on a hand-made set.
#include "ir/routing/reply_report.hpp"
#include "routing_test_support.hpp"

using namespace routing_test;

TEST_CASE("shares, nearest-rank median and p90, and who is below the team's share") {
    const std::vector<ReplyRow> rows{
        {"amy", "acme", T0, T0 + 1min},  {"amy", "acme", T0, T0 + 5min},  {"amy", "globex", T0, T0 + 2min},
        {"amy", "acme", T0, T0 + 30min}, {"bob", "acme", T0, T0 + 10min}, {"bob", "globex", T0, T0 + 25h},
        {"bob", "acme", T0, T0 - 1min},  {"cy", "globex", T0, T0 + 3h},
    };
    const ReplyReport r = reply_report(rows);
    CHECK(r.team.replies == 8);
    CHECK(r.team.share_fast == Approx(4.0 / 8));  // 1 min, 5 min (inclusive), 2 min, 0
    CHECK(r.team.share_timely == Approx(7.0 / 8));
    CHECK(r.team.median == 5min);  // sorted: 0 1 2 5 10 30 180 1500 (minutes)
    CHECK(r.team.p90 == 25h);
    REQUIRE(r.agents.size() == 3);
    CHECK(r.agents[0] == ReplyStats{"amy", 4, 0.75, 1.0, 2min, 30min, false});
    CHECK(r.agents[1].key == "bob");
    CHECK(r.agents[1].share_fast == Approx(1.0 / 3));
    CHECK(r.agents[1].share_timely == Approx(2.0 / 3));
    CHECK(r.agents[1].median == 10min);
    CHECK(r.agents[1].below_team_average);
    CHECK(r.agents[2] == ReplyStats{"cy", 1, 0.0, 1.0, 3h, 3h, true});
    REQUIRE(r.accounts.size() == 2);
    CHECK(r.accounts[0] == ReplyStats{"acme", 5, 0.6, 1.0, 5min, 30min, false});
    CHECK(r.accounts[1].key == "globex");
    CHECK(r.accounts[1].below_team_average);
    CHECK(reply_report({}) == ReplyReport{});
}
