// bench_routing [ops]: routing decisions per second with 10,000 queued inquiries and 200
// agents (target >= 100,000/s on one core). A steady mix: new inquiries (queued, everyone
// is full), replies that free a slot (the agent pulls the next queued one), accepts,
// releases, presence flips (offline hands back, available pulls) and reservation expiries.
// bench_routing memory: heap bytes per tracked inquiry (100,000: 90% queued, 10% held by 20
// agents) and per customer (100,000, one email each, 30% with a phone too), from glibc's
// mallinfo2() (allocated bytes, malloc's chunk overhead included).
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ir/routing/customer_book.hpp"
#include "ir/routing/dispatcher.hpp"

namespace {

using namespace std::chrono_literals;
using namespace ir::routing;
using ir::sla::TimePoint;

const std::vector<std::string> accounts{"alibaba", "aliexpress", "amazon", "ebay", "shopify", "b2b"};
const std::vector<std::string> categories{"apparel", "outdoor", "electronics", "jewelry", "components", "packaging"};
const std::vector<std::string> languages{"en", "de", "es", "fr", "ru", "ar"};

std::vector<AgentSpec> roster(std::mt19937& rng) {
    std::vector<AgentSpec> out;
    for (int i = 0; i < 200; ++i) {
        AgentSpec a;
        a.id = "agent" + std::to_string(i);
        a.name = a.id;
        a.role = i < 150 ? Role::agent : i < 190 ? Role::senior : Role::supervisor;
        if (i % 10 == 0) {
            a.accounts = {"*"};
        } else {
            a.accounts = {accounts[rng() % 6], accounts[rng() % 6]};
        }
        if (i % 3 != 0) a.categories = {categories[rng() % 6], categories[rng() % 6], categories[rng() % 6]};
        a.languages = {"en", languages[rng() % 6]};
        a.capacity = 10;
        out.push_back(std::move(a));
    }
    return out;
}

Item make_item(std::uint64_t id, TimePoint now, std::mt19937& rng) {
    Item it;
    it.inquiry = id;
    it.account = accounts[rng() % 6];
    it.category = categories[rng() % 6];
    it.language = languages[rng() % 6];
    const unsigned t = rng() % 100;
    it.tier = t < 5 ? 1 : t < 25 ? 2 : t < 65 ? 3 : 4;
    it.suspect = rng() % 100 < 3;
    if (it.suspect) it.reasons = {"asks for a fee"};
    it.fast_deadline = now + 5min + std::chrono::milliseconds(rng() % 60000);
    if (rng() % 5 == 0) it.preferred_owner = "agent" + std::to_string(rng() % 200);
    return it;
}

struct Counter {
    std::size_t calls = 0;
    std::size_t decisions = 0;
    std::vector<std::uint64_t> assigned;  // inquiries handed to someone, to reply to later
    void add(const Decisions& ds, Dispatcher& d, TimePoint now, std::mt19937& rng) {
        ++calls;
        decisions += ds.size();
        for (const Decision& x : ds) {
            const auto* a = std::get_if<Assigned>(&x);
            if (!a) continue;
            assigned.push_back(a->inquiry);
            if (a->reserved_until && rng() % 10 != 0) {  // one in ten is left to expire
                ++calls;
                (void)d.accept(a->inquiry, a->agent, now);
            }
        }
    }
};

std::size_t depth(const Dispatcher& d) {
    std::size_t n = 0;
    for (const auto& q : d.queues()) n += q.depth;
    return n;
}

// 2,000 slots fill first; everything after waits, up to 10,000 queued.
std::uint64_t fill(Dispatcher& d, Counter& c, TimePoint now, std::mt19937& rng) {
    std::uint64_t next_id = 1;
    while (depth(d) < 10'000) c.add(d.enqueue(make_item(next_id++, now, rng), now), d, now, rng);
    return next_id;
}

// A reply frees a slot (the agent pulls the next queued inquiry), then it is resolved.
void reply_and_resolve(Dispatcher& d, Counter& c, TimePoint now, std::mt19937& rng) {
    std::string owner;
    std::uint64_t inquiry = 0;
    while (owner.empty() && !c.assigned.empty()) {  // skip inquiries that moved on
        const std::size_t k = rng() % c.assigned.size();
        inquiry = c.assigned[k];
        c.assigned[k] = c.assigned.back();
        c.assigned.pop_back();
        owner = d.owner_of(inquiry);
    }
    if (owner.empty()) return;
    c.add(d.replied(inquiry, owner, now), d, now, rng);
    c.add(d.release(inquiry, now), d, now, rng);
}

void mix(Dispatcher& d, Counter& c, TimePoint& now, std::uint64_t next_id, long ops, std::mt19937& rng) {
    for (long i = 0; i < ops; ++i) {
        now += 1ms;
        const unsigned r = rng() % 100;
        if (r < 45) {
            reply_and_resolve(d, c, now, rng);
        } else if (r < 90) {
            c.add(d.enqueue(make_item(next_id++, now, rng), now), d, now, rng);
        } else if (r < 92) {  // presence flip
            const std::string who = "agent" + std::to_string(rng() % 200);
            c.add(d.set_presence(who, Presence::offline, now).decisions, d, now, rng);
            c.add(d.set_presence(who, Presence::available, now).decisions, d, now, rng);
        } else {
            c.add(d.on_tick(now), d, now, rng);
        }
    }
}

std::size_t heap_in_use() {
    return mallinfo2().uordblks;
}

double per(std::size_t before, std::size_t after, std::size_t n) {
    return (static_cast<double>(after) - static_cast<double>(before)) / static_cast<double>(n);
}

int memory(TimePoint now) {
    constexpr std::size_t items = 100'000;
    constexpr std::size_t customers = 100'000;
    std::mt19937 rng(7);
    const FixedOffsetClock utc;
    std::vector<AgentSpec> agents;
    for (int i = 0; i < 20; ++i) {
        AgentSpec a;
        a.id = "agent" + std::to_string(i);
        a.name = a.id;
        a.role = i < 14 ? Role::agent : i < 18 ? Role::senior : Role::supervisor;
        a.accounts = {"*"};
        a.languages = {"en", languages[static_cast<std::size_t>(i) % 6]};
        a.capacity = items / 10 / 20;  // 10% of the inquiries fill every slot
        agents.push_back(std::move(a));
    }
    std::size_t dispatcher_bytes = 0;
    std::size_t held = 0;
    {
        Dispatcher d(agents, {}, utc, now);
        const std::size_t before = heap_in_use();
        for (std::uint64_t id = 1; id <= items; ++id) {
            (void)d.enqueue(make_item(id, now, rng), now);  // 5% tier 1, 3% suspects
        }
        dispatcher_bytes = heap_in_use() - before;
        for (const AgentView& a : d.agents()) held += a.owned;
        std::printf("memory: dispatcher items=%zu held=%zu queued=%zu bytes=%zu\n", d.size(), held, depth(d),
                    dispatcher_bytes);
        std::printf("dispatcher_bytes_per_item=%.1f\n", per(0, dispatcher_bytes, items));
    }
    {
        const std::size_t before = heap_in_use();
        CustomerBook book;
        for (std::size_t i = 0; i < customers; ++i) {
            Identity who;
            who.email = "buyer" + std::to_string(10'000 + i) + "@shop" + std::to_string(i % 10) + ".example";
            if (rng() % 100 < 30) who.phone = "+49 170 " + std::to_string(1'000'000 + i);
            const Identified c = book.identify(who, now);
            (void)book.note_conversation(c.id);
            if (i % 2 == 0) (void)book.set_last_owner(c.id, "agent" + std::to_string(i % 20));
        }
        const std::size_t after = heap_in_use();
        std::printf("memory: customers=%zu bytes=%zu\n", book.size(), after - before);
        std::printf("customer_book_bytes_per_customer=%.1f\n", per(before, after, customers));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_routing: routing decisions per second (10,000 queued inquiries, 200 agents)"};
    long ops = 300'000;
    app.add_option("OPS", ops, "operations in the steady mix")->capture_default_str()->check(CLI::PositiveNumber);
    auto* memory_cmd = app.add_subcommand("memory", "heap bytes per tracked inquiry and per customer");
    CLI11_PARSE(app, argc, argv);
    if (*memory_cmd) return memory(TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}});
    std::mt19937 rng(42);
    TimePoint now = TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}};
    const FixedOffsetClock utc;
    Dispatcher d(roster(rng), {}, utc, now);
    Counter c;
    const std::uint64_t next_id = fill(d, c, now, rng);
    const std::size_t queued = depth(d);
    c.calls = c.decisions = 0;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    mix(d, c, now, next_id, ops, rng);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // CPU time too: on a shared machine wall time includes waiting for a core.
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf("routing: queued=%zu agents=200 ops=%ld calls=%zu decisions=%zu seconds=%.3f\n", queued, ops, c.calls,
                c.decisions, secs);
    std::printf("routing: decisions/s=%.0f calls/s=%.0f cpu_decisions/s=%.0f queued_after=%zu\n",
                static_cast<double>(c.decisions) / secs, static_cast<double>(c.calls) / secs,
                static_cast<double>(c.decisions) / cpu, depth(d));
    return 0;
}
