#include "simulate_command.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>

#include "file_text.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/daemon/config.hpp"
#include "ir/daemon/core_setup.hpp"
#include "ir/simulate/generator.hpp"
#include "ir/simulate/known_customers.hpp"
#include "ir/simulate/people_config.hpp"
#include "ir/simulate/replay.hpp"
#include "ir/simulate/report_format.hpp"
#include "ir/simulate/traffic_reader.hpp"
#include "store_source.hpp"

namespace ir::cli {
namespace {

struct Setup {
    daemon::Config config;
    simulate::PeopleConfig people;
};

// The daemon's config and [simulate], with every problem as file:line: key: problem.
std::optional<Setup> load_setup(const SimulateOptions& o, std::ostream& err) {
    auto text = read_file(o.config_path);
    if (!text) {
        err << "inquiryctl: " << text.error().message << "\n";
        return std::nullopt;
    }
    auto daemon_config = daemon::parse_config(*text, o.config_path);
    auto people = simulate::parse_people_config(*text, o.config_path);
    std::vector<std::string> errors = std::move(daemon_config.errors);
    for (auto& e : people.errors)  // a TOML syntax error is reported by both readers: once is enough
        if (std::find(errors.begin(), errors.end(), e) == errors.end()) errors.push_back(std::move(e));
    for (const auto& e : errors) err << e << "\n";
    if (!errors.empty()) return std::nullopt;
    Setup s{std::move(daemon_config.config), people.config};
    if (o.seed) s.people.seed = *o.seed;
    return s;
}

struct Policy {
    std::string name;
    routing::Strategy strategy;
};

std::optional<std::vector<Policy>> parse_policies(const SimulateOptions& o, std::ostream& err) {
    std::vector<Policy> out;
    for (const auto& name : o.policies.empty() ? std::vector<std::string>{"ours"} : o.policies) {
        const auto s = routing::parse_strategy(name);
        if (!s) {
            err << "inquiryctl: --policy " << name << ": unknown (ours, round-robin, least-loaded, none)\n";
            return std::nullopt;
        }
        out.push_back({name, *s});
    }
    return out;
}

// The inputs for one run: a fresh reading of the traffic file or of the store.
class Inputs {
public:
    std::optional<std::string> open(const SimulateOptions& o, bool recorded) {
        if (!o.store_dir.empty()) {
            auto s = StoreSource::open(o.store_dir, recorded);
            if (!s) return s.error().message;
            store_ = std::move(*s);
            return std::nullopt;
        }
        file_ = std::make_unique<std::ifstream>(o.traffic_path, std::ios::binary);
        if (!*file_) return o.traffic_path + ": cannot open";
        traffic_ = std::make_unique<simulate::TrafficReader>(*file_, o.traffic_path);
        return std::nullopt;
    }
    simulate::InputSource& source() {
        return store_ ? static_cast<simulate::InputSource&>(*store_) : static_cast<simulate::InputSource&>(*traffic_);
    }
    const std::vector<std::string>& skipped() const { return store_ ? store_->skipped() : traffic_->skipped(); }
    const std::optional<std::string>& fatal() const { return store_ ? store_->fatal() : traffic_->fatal(); }

private:
    std::unique_ptr<std::ifstream> file_;
    std::unique_ptr<simulate::TrafficReader> traffic_;
    std::unique_ptr<StoreSource> store_;
};

bool check_options(const SimulateOptions& o, std::ostream& err) {
    if (o.config_path.empty()) {
        err << "inquiryctl simulate: --config FILE is required (the daemon's config)\n";
        return false;
    }
    if (o.traffic_path.empty() == o.store_dir.empty()) {
        err << "inquiryctl simulate: give one of --traffic FILE.jsonl or --from-store STATE_DIR\n";
        return false;
    }
    if (o.people != "simulated" && o.people != "recorded") {
        err << "inquiryctl simulate: --people must be simulated or recorded\n";
        return false;
    }
    return true;
}

}  // namespace

SimulateCommands add_simulate_subcommand(CLI::App& app, SimulateOptions& s, GenerateOptions& g) {
    SimulateCommands c;
    c.simulate = app.add_subcommand("simulate", "Replay traffic through the real core in virtual time, per policy");
    c.simulate->add_option("--config", s.config_path, "The daemon's config (with an optional [simulate] table)");
    c.simulate->add_option("--traffic", s.traffic_path, "Traffic JSONL (fixtures format), in received_at order");
    c.simulate->add_option("--from-store", s.store_dir, "Take the traffic from a daemon's state folder (read only)");
    c.simulate->add_option("--policy", s.policies, "ours, round-robin, least-loaded, none (repeat: side by side)");
    c.simulate->add_option("--seed", s.seed, "Seed of the simulated people (default: [simulate] seed, 1)");
    c.simulate->add_option("--people", s.people, "simulated (default) or recorded: only the replies the input holds");
    c.simulate->add_flag("--json", s.json, "One JSON object instead of the table");
    c.simulate->require_subcommand(0, 1);
    c.generate = c.simulate->add_subcommand("generate", "Write realistic traffic (JSONL) for a replay");
    c.generate->add_option("--days", g.days, "Days of traffic (default 7)")->check(CLI::Range(1, 3660));
    c.generate->add_option("--per-day", g.per_day, "New conversations a day on average (default 100)")
        ->check(CLI::Range(1, 10'000'000));
    c.generate->add_option("--seed", g.seed, "Seed (default 1)");
    c.generate->add_option("--catalog", g.catalog_path, "The catalogue whose accounts and products buyers write to");
    c.generate->add_option("--config", g.config_path, "Or a daemon config: its catalogue");
    c.generate->add_option("--start", g.start, "First day, YYYY-MM-DD in UTC (default 2026-11-02, a Monday)");
    c.generate->add_option("--out", g.out_path, "Output file (default: standard output)");
    return c;
}

// A first look at a traffic file: what our records knew of its buyers before it starts.
std::optional<routing::CustomerBookState> known_customers(const SimulateOptions& o, std::ostream& err) {
    std::ifstream file(o.traffic_path, std::ios::binary);
    if (!file) {
        err << "inquiryctl: " << o.traffic_path << ": cannot open\n";
        return std::nullopt;
    }
    simulate::KnownCustomers known;
    std::optional<sla::TimePoint> first;
    for (std::string line; std::getline(file, line);) {
        if (!first)
            if (auto in = simulate::parse_traffic_line(line)) first = in->at;
        known.add_line(line);
    }
    return known.state(first.value_or(sla::TimePoint{}));
}

int run_simulate(const SimulateOptions& o, std::ostream& out, std::ostream& err) {
    if (!check_options(o, err)) return 2;
    auto setup = load_setup(o, err);
    auto policies = parse_policies(o, err);
    if (!setup || !policies) return 2;
    const auto people = o.people == "recorded" ? simulate::PeopleMode::recorded : simulate::PeopleMode::simulated;
    if (setup->config.routing.agents.empty() && people == simulate::PeopleMode::simulated)
        err << "inquiryctl simulate: no [[agents]] in " << o.config_path
            << ": nobody answers (--people recorded replays the recorded replies)\n";
    std::size_t skipped = 0;
    routing::CustomerBookState known;
    if (!o.traffic_path.empty()) {
        auto state = known_customers(o, err);
        if (!state) return 2;
        known = std::move(*state);
    }
    std::vector<simulate::PolicyReport> reports;
    for (const Policy& p : *policies) {
        Inputs inputs;
        if (auto e = inputs.open(o, people == simulate::PeopleMode::recorded)) {
            err << "inquiryctl: " << *e << "\n";
            return 2;
        }
        const simulate::Input* first = inputs.source().peek();
        daemon::Config config = setup->config;
        config.routing.policy.strategy = p.strategy;
        auto core = std::make_unique<daemon::Core>();
        if (auto e = daemon::build_core(config, first ? first->at : sla::TimePoint{}, *core)) {
            err << "inquiryctl: " << *e << "\n";
            return 2;
        }
        simulate::ReplaySetup run{
            p.name, p.strategy, people, setup->people, config.routing.agents, core->local_clock.get(), known};
        reports.push_back(simulate::replay(*core->engine, inputs.source(), run));
        if (reports.size() == 1) {  // every run reads the same input: report its problems once
            for (const auto& s : inputs.skipped()) err << s << "\n";
            skipped = inputs.skipped().size();
        }
        if (inputs.fatal()) {
            err << "inquiryctl: " << *inputs.fatal() << "\n";
            return 2;
        }
    }
    if (o.json)
        out << simulate::report_json(reports) << "\n";
    else
        simulate::print_side_by_side(reports, out);
    if (skipped) err << "inquiryctl simulate: " << skipped << " input line(s) skipped\n";
    return skipped ? 1 : 0;
}

int run_generate(const GenerateOptions& o, std::ostream& out, std::ostream& err) {
    std::string catalog_path = o.catalog_path;
    if (catalog_path.empty() && !o.config_path.empty()) {
        auto config = daemon::load_config(o.config_path);
        for (const auto& e : config.errors) err << e << "\n";
        if (!config.errors.empty()) return 2;
        catalog_path = config.config.catalog_path;
    }
    if (catalog_path.empty()) {
        err << "inquiryctl simulate generate: needs --catalog FILE (or --config FILE naming a catalog): buyers write "
               "to its accounts about its products\n";
        return 2;
    }
    auto text = read_file(catalog_path);
    auto catalog = text ? router::parse_catalog_json(*text) : Expected<router::Catalog>(text.error());
    if (!catalog) {
        err << "inquiryctl: " << catalog_path << ": " << catalog.error().message << "\n";
        return 2;
    }
    simulate::TrafficOptions options;
    options.days = o.days;
    options.per_day = o.per_day;
    options.seed = o.seed;
    if (!o.start.empty()) {
        const auto start = adapters::parse_rfc3339(o.start + "T00:00:00Z");
        if (!start) {
            err << "inquiryctl simulate generate: --start " << o.start << ": must be a date, YYYY-MM-DD\n";
            return 2;
        }
        options.start = *start;
    }
    std::ofstream file;
    if (!o.out_path.empty() && o.out_path != "-") {
        file.open(o.out_path, std::ios::binary);
        if (!file) {
            err << "inquiryctl: " << o.out_path << ": cannot write\n";
            return 2;
        }
    }
    std::ostream& sink = file.is_open() ? file : out;
    auto summary = simulate::generate_traffic(*catalog, options, sink);
    if (!summary) {
        err << "inquiryctl simulate generate: " << summary.error().message << "\n";
        return 2;
    }
    sink.flush();
    if (!sink) {
        err << "inquiryctl: cannot write the traffic\n";
        return 2;
    }
    err << "generated " << summary->lines << " messages: " << summary->conversations << " conversations ("
        << summary->repeat_conversations << " from repeat buyers), " << summary->follow_ups << " follow-ups, "
        << summary->buyers << " buyers\n";
    return 0;
}

}  // namespace ir::cli
