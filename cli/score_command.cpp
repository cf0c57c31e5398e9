#include "score_command.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iostream>

#include "file_text.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/router/assessor.hpp"
#include "score_summary.hpp"

namespace ir::cli {
namespace json = boost::json;

namespace {

Expected<router::Assessor> load_assessor(const ScoreOptions& o, std::ostream& err) {
    router::Catalog catalog;
    if (!o.catalog_path.empty()) {
        auto text = read_file(o.catalog_path);
        if (!text) return text.error();
        auto parsed = router::parse_catalog_json(*text);
        if (!parsed)
            return Error{o.catalog_path + ": " + parsed.error().message +
                         (parsed.error().field.empty() ? "" : " (" + parsed.error().field + ")")};
        catalog = std::move(*parsed);
    } else {
        err << "inquiryctl: no --catalog given: no product can be recognised\n";
    }
    auto rules_text = o.rules_path.empty() ? Expected<std::string>(std::string(router::default_rules_toml()))
                                           : read_file(o.rules_path);
    if (!rules_text) return rules_text.error();
    auto rules = router::parse_rules_toml(*rules_text, o.rules_path.empty() ? "default rules" : o.rules_path);
    if (!rules) return rules.error();
    return router::Assessor::create(catalog, *rules);
}

struct Expectation {
    int tier = 0;
    bool suspect = false;
};

// One input line: the id, the assessment, and the label if the line carries one.
Expected<std::pair<json::object, std::optional<Expectation>>> score_line(const router::Assessor& assessor,
                                                                         std::string_view line) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) return Error{"not valid JSON: " + ec.message()};
    if (!v.is_object()) return Error{"must be a JSON object"};
    const auto& o = v.get_object();
    const auto* event_v = o.if_contains("event");
    if (!event_v) return Error{"missing field", "event"};
    auto event = adapters::parse_event(*event_v);
    if (!event) return Error{event.error().message, "event." + event.error().field};
    const auto* ctx_v = o.if_contains("context");
    auto context =
        ctx_v ? adapters::parse_context(*ctx_v) : Expected<router::CustomerContext>(router::CustomerContext{});
    if (!context) return context.error();

    const auto assessment = assessor.assess(*event, *context);
    json::object out;
    const auto* id = o.if_contains("id");
    out["id"] = id ? *id : json::value(event->message_id);
    for (auto& kv : adapters::to_json(assessment)) out[kv.key()] = kv.value();

    std::optional<Expectation> expect;
    if (const auto* ex = o.if_contains("expect"); ex && ex->is_object()) {
        const auto* t = ex->get_object().if_contains("tier");
        const auto* s = ex->get_object().if_contains("suspect");
        if (!t || !t->is_int64() || !s || !s->is_bool()) return Error{"must have tier (1-4) and suspect", "expect"};
        expect = Expectation{static_cast<int>(t->get_int64()), s->get_bool()};
    }
    return std::pair{std::move(out), expect};
}

}  // namespace

int run_score(const ScoreOptions& options, std::ostream& out, std::ostream& err) {
    auto assessor = load_assessor(options, err);
    if (!assessor) {
        err << "inquiryctl: " << assessor.error().message
            << (assessor.error().field.empty() ? "" : " [" + assessor.error().field + "]") << "\n";
        return 2;
    }
    std::ifstream file;
    if (options.input_path != "-") {
        file.open(options.input_path, std::ios::binary);
        if (!file) {
            err << "inquiryctl: " << options.input_path << ": cannot open\n";
            return 2;
        }
    }
    std::istream& in = options.input_path == "-" ? std::cin : file;
    ScoreSummary summary;
    int bad_lines = 0;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto scored = score_line(*assessor, line);
        if (!scored) {
            ++bad_lines;
            const auto& e = scored.error();
            err << options.input_path << ":" << number << ": " << (e.field.empty() ? "" : e.field + ": ") << e.message
                << " (line skipped)\n";
            continue;
        }
        out << json::serialize(scored->first) << "\n";
        if (scored->second) {
            const auto& o = scored->first;
            router::Assessment got;
            got.tier = static_cast<int>(o.at("tier").as_int64());
            got.suspect = o.at("suspect").as_bool();
            summary.add(scored->second->tier, scored->second->suspect, got);
        }
    }
    if (!summary.empty()) summary.print(err);
    if (bad_lines) err << "inquiryctl: " << bad_lines << " bad line(s) skipped\n";
    return bad_lines ? 1 : 0;
}

}  // namespace ir::cli
