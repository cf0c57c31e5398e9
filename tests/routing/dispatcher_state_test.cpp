// Export/restore round trips and determinism: the same calls give the same decisions.
#include <functional>

#include "routing_test_support.hpp"

using namespace routing_test;

namespace {

const FixedOffsetClock clock_({{"Asia/Shanghai", 8h}});

std::vector<AgentSpec> roster() {
    AgentSpec late = agent("lin", Role::agent, {"acme", "globex"}, 2);
    late.hours = WeeklyHours::weekdays(9 * 60, 18 * 60);
    late.time_zone = "Asia/Shanghai";
    late.languages = {"zh", "en"};
    return {agent("amy", Role::agent, {"acme"}, 2), agent("sam", Role::senior, {"*"}, 2),
            agent("sue", Role::supervisor, {"acme"}, 1), late};
}

// A day of traffic, starting at `from` with step k.
using Step = std::function<Decisions(Dispatcher&, TimePoint)>;
std::vector<Step> script() {
    std::vector<Step> s;
    for (std::uint64_t i = 1; i <= 12; ++i) {
        s.push_back([i](Dispatcher& d, TimePoint now) {
            Item it = item(i, static_cast<int>(1 + i % 4), now + 5min, i % 3 == 0 ? "globex" : "acme");
            it.suspect = i % 5 == 0;
            it.language = i % 2 ? "zh" : "en";
            return d.enqueue(it, now);
        });
    }
    s.push_back([](Dispatcher& d, TimePoint now) { return d.on_tick(now + 3min); });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.set_presence("amy", Presence::offline, now).decisions; });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.replied(2, d.owner_of(2), now); });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.update(7, 1, false, now + 4min, now); });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.transfer(4, "sue", now).decisions; });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.set_presence("amy", Presence::available, now).decisions; });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.on_tick(now + 1h); });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.release(3, now); });
    s.push_back([](Dispatcher& d, TimePoint now) { return d.on_tick(now + 20h); });  // Shanghai morning
    return s;
}

std::vector<Decisions> run(Dispatcher& d, const std::vector<Step>& steps, std::size_t from, std::size_t to) {
    std::vector<Decisions> out;
    for (std::size_t k = from; k < to; ++k) out.push_back(steps[k](d, T0 + std::chrono::minutes(k)));
    return out;
}

}  // namespace

TEST_CASE("determinism: the same calls twice give the same decisions") {
    const auto steps = script();
    Dispatcher a(roster(), {}, clock_, T0);
    Dispatcher b(roster(), {}, clock_, T0);
    const auto da = run(a, steps, 0, steps.size());
    CHECK(da == run(b, steps, 0, steps.size()));
    CHECK(a.export_state() == b.export_state());
    std::size_t total = 0;
    for (const auto& ds : da) total += ds.size();
    CHECK(total > 20);
}

TEST_CASE("export/restore at any step gives identical decisions afterwards") {
    const auto steps = script();
    for (std::size_t cut = 0; cut <= steps.size(); ++cut) {
        Dispatcher original(roster(), {}, clock_, T0);
        run(original, steps, 0, cut);
        const DispatcherState saved = original.export_state();
        Dispatcher restored(roster(), {}, clock_, T0 + 7h);  // restarted later, at night in Shanghai
        CHECK(restored.restore(saved, T0 + std::chrono::minutes(cut)).empty());
        CHECK(restored.export_state() == saved);
        CHECK(restored.agents() == original.agents());
        CHECK(restored.queues() == original.queues());
        CHECK(restored.next_deadline() == original.next_deadline());
        INFO("cut at step " << cut);
        CHECK(run(restored, steps, cut, steps.size()) == run(original, steps, cut, steps.size()));
    }
}

TEST_CASE("restore re-routes inquiries whose owner left the roster") {
    Dispatcher before({agent("amy"), agent("bob")}, {}, clock_, T0);
    REQUIRE(assignee(before.enqueue(item(1), T0)) == "amy");
    REQUIRE(assignee(before.enqueue(item(2), T0)) == "bob");
    Dispatcher after({agent("bob")}, {}, clock_, T0 + 1min);
    CHECK(after.restore(before.export_state(), T0 + 1min) ==
          Decisions{Assigned{1, "bob", "", T0 + 3min, false, "least loaded (1/10)"}});
    CHECK(after.find(2)->reserved_until == T0 + 2min);
}
