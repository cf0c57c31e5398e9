#include "ir/simulate/generator.hpp"

#include <boost/json.hpp>

#include <array>
#include <deque>
#include <queue>
#include <unordered_map>

#include "buyers.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/router/event.hpp"
#include "ir/simulate/random.hpp"
#include "templates.hpp"

namespace ir::simulate {
namespace {

using detail::BodyKind;
using detail::Country;
using namespace std::chrono_literals;

// Share of a day's buyer messages written in each local hour: buyers write in their day.
constexpr std::array<double, 24> kLocalHours = {0.15, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.7, 1.9, 1.9,
                                                1.5,  1.5,  1.7,  1.8,  1.7,  1.4, 1.1, 1.0, 1.0, 0.8, 0.5, 0.3};
// Monday .. Sunday, mean 1.
constexpr std::array<double, 7> kWeekdays = {1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.75};

// The dev set: 32 email, 16 chat, 16 marketplace; inquiries per account. Scams and complete
// contact details come by mail (28% of new buyers), so the others take mail less often.
constexpr std::array<double, 3> kChannels = {0.3, 0.35, 0.35};
double account_weight(std::string_view id) {
    static const std::unordered_map<std::string_view, double> dev = {
        {"alibaba-outdoor", 16},    {"alibaba-electronics", 15}, {"alibaba-apparel", 13},
        {"alibaba-components", 11}, {"aliexpress-jewelry", 6},   {"ebay-electronics", 3}};
    const auto it = dev.find(id);
    return it == dev.end() ? 8 : it->second;
}
// Seed 000: the repeat buyers were mostly in apparel and jewelry.
double repeat_share(const router::Account& a) {
    for (const auto& c : a.categories)
        if (c == "apparel" || c == "jewelry") return 0.3;
    return 0.12;
}
// Regular customers with orders our records know write this share of the conversations
// (the dev set's tier 1: 10 of 64), each about every four days.
constexpr double kRegularShare = 0.12;
constexpr double kRegularEveryDays = 4;

struct Buyer {
    const Country* country = nullptr;
    detail::PersonName name;
    router::Channel channel = router::Channel::email;
    router::Sender sender;
    std::string account;
    std::uint32_t orders = 0;
};

struct Message {
    sla::TimePoint at;
    std::uint64_t n = 0;
    std::string line;
    bool operator>(const Message& o) const { return at != o.at ? at > o.at : n > o.n; }
};

class Generator {
public:
    Generator(const router::Catalog& catalog, const TrafficOptions& o, std::ostream& out)
        : catalog_(catalog), options_(o), out_(out), random_(o.seed) {
        for (const auto& a : catalog.accounts) account_weights_.push_back(account_weight(a.id));
        for (const double w : account_weights_) total_weight_ += w;
    }

    TrafficSummary run();

private:
    void conversation(int day);
    BodyKind new_buyer_kind();
    Buyer& new_buyer(const router::Account& account, BodyKind kind, bool off_platform = false);
    std::optional<std::size_t> repeat_buyer(const router::Account& account);
    Buyer& regular(const router::Account& account);
    std::string quantity(const router::Account& account);
    sla::TimePoint local_moment(int day, const Country& c);
    sla::TimePoint in_daytime(sla::TimePoint t, const Country& c);
    void emit(sla::TimePoint at, const Buyer& b, const std::string& thread, const detail::Text& text,
              std::uint32_t nth);
    void flush(std::optional<sla::TimePoint> before);

    const router::Catalog& catalog_;
    const TrafficOptions& options_;
    std::ostream& out_;
    Random random_;
    std::vector<double> account_weights_;
    std::deque<Buyer> buyers_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_account_;  // repeatable buyers
    std::unordered_map<std::string, std::vector<std::size_t>> regulars_;    // with orders, by account
    double total_weight_ = 0;
    std::priority_queue<Message, std::vector<Message>, std::greater<>> pending_;
    std::uint64_t messages_ = 0;
    TrafficSummary summary_;
};

TrafficSummary Generator::run() {
    double planned = 0;
    long long made = 0;
    const auto first_day = std::chrono::floor<std::chrono::days>(options_.start);
    const int first_weekday = static_cast<int>((first_day.time_since_epoch().count() % 7 + 7 + 3) % 7);  // Monday 0
    for (int day = 0; day < options_.days; ++day) {
        planned += options_.per_day * kWeekdays[static_cast<std::size_t>((first_weekday + day) % 7)];
        for (; made < std::llround(planned); ++made) conversation(day);
        // Local day d+1 starts at least 14 hours before its UTC day: all earlier is final.
        flush(options_.start + std::chrono::days{day + 1} - 14h);
    }
    flush(std::nullopt);
    summary_.buyers = buyers_.size();
    return summary_;
}

BodyKind Generator::new_buyer_kind() {
    // Dev set: tier 2 25%, tier 3 31%, tier 4 28% (tier 1 comes from orders), suspects 19%.
    static constexpr std::array<double, 5> weights = {0.23, 0.24, 0.18, 0.09, 0.26};
    static constexpr std::array<BodyKind, 5> kinds = {BodyKind::vague, BodyKind::product, BodyKind::detail,
                                                      BodyKind::contact, BodyKind::scam};
    return kinds[random_.weighted(weights)];
}

void Generator::conversation(int day) {
    const router::Account& account = catalog_.accounts[random_.weighted(account_weights_)];
    const double u = random_.uniform();
    Buyer* b = nullptr;
    BodyKind kind = BodyKind::product;
    if (u < kRegularShare) {
        b = &regular(account);
        kind = random_.chance(0.6) ? BodyKind::reorder : BodyKind::detail;
    } else if (const auto again = u < kRegularShare + repeat_share(account) ? repeat_buyer(account) : std::nullopt) {
        b = &buyers_[*again];
        ++summary_.repeat_conversations;
        if (b->orders == 0 && random_.chance(0.01)) {  // they ordered after their last conversation
            b->orders = 1;
            regulars_[account.id].push_back(*again);
            if (b->channel == router::Channel::marketplace) {  // seed 003: a buyer who orders moves to mail
                b->channel = router::Channel::email;
                b->sender.email = detail::mail_word(b->name.first) + "." + detail::mail_word(b->name.last) +
                                  std::to_string(*again) + "@gmail.com";
            }
        }
        kind = b->orders > 0 ? BodyKind::reorder : (random_.chance(0.5) ? BodyKind::product : BodyKind::detail);
    }
    if (!b) {
        kind = new_buyer_kind();
        b = &new_buyer(account, kind);
    }
    std::vector<const router::Product*> products;
    for (const auto& p : catalog_.products)
        for (const auto& c : account.categories)
            if (p.category == c) products.push_back(&p);
    if (products.empty() && kind != BodyKind::scam) kind = BodyKind::vague;
    detail::Fill fill;
    fill.product = products.empty() ? "" : products[random_.below(products.size())]->name;
    fill.quantity = quantity(account);
    fill.name = b->name.first + " " + b->name.last;
    fill.company = b->sender.company;
    fill.country = std::string(b->country->name);
    const std::string lang(b->country->language);
    const std::string thread = "t-gen" + std::to_string(options_.seed) + "-" + std::to_string(++summary_.conversations);
    sla::TimePoint at = local_moment(day, *b->country);
    emit(at, *b, thread, detail::first_message(kind, lang, fill, random_), 1);
    // Follow-ups in the same conversation: chat within minutes, mail and platforms within a day or so.
    double p = 0.35;
    for (std::uint32_t nth = 2; nth <= 5 && random_.chance(p); ++nth, p = 0.3) {
        const bool chat = b->channel == router::Channel::chat;
        at = in_daytime(at + random_.lognormal(chat ? sla::Duration{20min} : sla::Duration{18h}, chat ? 1.0 : 0.7),
                        *b->country);
        emit(at, *b, thread, detail::follow_up(kind, lang, fill, random_), nth);
        ++summary_.follow_ups;
    }
}

Buyer& Generator::new_buyer(const router::Account& account, BodyKind kind, bool off_platform) {
    Buyer& b = buyers_.emplace_back();
    b.country = &detail::draw_country(random_);
    b.name = detail::draw_name(b.country->language, random_);
    b.account = account.id;
    b.channel = kind == BodyKind::scam || kind == BodyKind::contact ? router::Channel::email
                : off_platform ? (random_.chance(0.6) ? router::Channel::email : router::Channel::chat)
                               : static_cast<router::Channel>(random_.weighted(kChannels));
    const std::string id = std::to_string(buyers_.size());
    const std::string phone =
        "+" + std::string(b.country->calling_code) + " " + std::to_string(200'000'000 + random_.below(700'000'000));
    router::Sender& s = b.sender;
    s.name = b.name.first + " " + b.name.last;
    s.country = std::string(b.country->code);
    const std::string user = detail::mail_word(b.name.first) + "." + detail::mail_word(b.name.last) + id;
    if (b.channel == router::Channel::chat) {
        s.phone = phone;
        s.im = "whatsapp:" + phone;
    } else if (b.channel == router::Channel::email) {
        static constexpr std::array<std::string_view, 4> free_mail = {"gmail.com", "yahoo.com", "hotmail.com",
                                                                      "outlook.com"};
        s.email = user + "@" + std::string(free_mail[random_.below(free_mail.size())]);
        if (kind == BodyKind::contact) {
            s.company = detail::company_name(b.country->language, b.name.last, random_);
            s.email = user + "@" + detail::mail_word(b.name.last) + id + "-trade.com";
            s.phone = phone;
            s.address = std::to_string(1 + random_.below(200)) + " Market Street, " + std::string(b.country->name);
            s.im = "whatsapp:" + phone;
        } else if (kind == BodyKind::scam) {
            s.company = b.name.last + " Group International";
        }
    }
    if (kind != BodyKind::scam) by_account_[account.id].push_back(buyers_.size() - 1);
    return b;
}

std::optional<std::size_t> Generator::repeat_buyer(const router::Account& account) {
    auto it = by_account_.find(account.id);
    if (it == by_account_.end() || it->second.empty()) return std::nullopt;
    const auto& pool = it->second;
    const std::size_t recent = std::min<std::size_t>(pool.size(), 2000);  // buyers come back within months
    return pool[pool.size() - 1 - random_.below(recent)];
}

// Seed 000: the apparel account had built up regular customers; seed 004: repeat buyers are
// graded by how often and how much they buy; seed 003: good buyers are moved off the platform
// to mail and WhatsApp, where our records recognise them. The pool fills up first, then its
// members return.
Buyer& Generator::regular(const router::Account& account) {
    auto& pool = regulars_[account.id];
    const double per_day = options_.per_day * account_weight(account.id) / total_weight_ * kRegularShare;
    const auto wanted = static_cast<std::size_t>(std::max(3.0, per_day * kRegularEveryDays));
    if (pool.size() < wanted) {
        Buyer& b = new_buyer(account, BodyKind::product, true);
        b.orders = 1 + static_cast<std::uint32_t>(random_.below(3));
        pool.push_back(buyers_.size() - 1);
        return b;
    }
    ++summary_.repeat_conversations;
    return buyers_[pool[random_.below(pool.size())]];
}

std::string Generator::quantity(const router::Account& account) {
    static constexpr std::array<int, 7> retail = {2, 5, 10, 20, 50, 100, 200};
    static constexpr std::array<int, 8> wholesale = {50, 100, 200, 300, 500, 1000, 2000, 5000};
    static constexpr std::array<int, 3> large = {10000, 20000, 50000};
    if (random_.chance(0.04)) return std::to_string(large[random_.below(large.size())]);
    const bool is_retail =
        account.platform == "aliexpress" || account.platform == "ebay" || account.platform == "amazon";
    return std::to_string(is_retail ? retail[random_.below(retail.size())]
                                    : wholesale[random_.below(wholesale.size())]);
}

// A moment of the buyer's local day `day` (counted from the start's date), not before the start.
sla::TimePoint Generator::local_moment(int day, const Country& c) {
    const sla::TimePoint midnight = std::chrono::floor<std::chrono::days>(options_.start) + std::chrono::days{day} -
                                    std::chrono::minutes{c.utc_offset_minutes};
    for (int attempt = 0;; ++attempt) {
        const auto hour = static_cast<std::int64_t>(random_.weighted(kLocalHours));
        const sla::TimePoint t =
            midnight + std::chrono::hours{hour} + sla::Duration{static_cast<std::int64_t>(random_.below(3'600'000))};
        if (t >= options_.start || attempt == 8) return std::max(t, options_.start);
    }
}

// Buyers do not write at night: a follow-up due then is written the next morning.
sla::TimePoint Generator::in_daytime(sla::TimePoint t, const Country& c) {
    const auto offset = std::chrono::minutes{c.utc_offset_minutes};
    const auto local = t + offset;
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const auto hour = std::chrono::floor<std::chrono::hours>(local - day).count();
    if (hour >= 8 && hour < 23) return t;
    const auto morning = (hour < 8 ? day : day + std::chrono::days{1}) + 8h +
                         sla::Duration{static_cast<std::int64_t>(random_.below(7'200'000))};
    return morning - offset;
}

void Generator::emit(sla::TimePoint at, const Buyer& b, const std::string& thread, const detail::Text& text,
                     std::uint32_t nth) {
    const std::uint64_t n = ++messages_;
    const std::string tag = "gen" + std::to_string(options_.seed) + "-" + std::to_string(n);
    router::Event e;
    e.channel = b.channel;
    e.account = b.account;
    e.thread_id = thread;
    e.received_at = at;
    e.sender = b.sender;
    e.subject = text.subject;
    e.body = text.body;
    if (b.channel == router::Channel::email) {
        e.message_id = "<" + tag + "@mail.generated>";
    } else if (b.channel == router::Channel::chat) {
        e.message_id = "wamid." + tag;
    } else {
        const router::Account* a = catalog_.find_account(b.account);
        e.message_id = (a ? a->platform : std::string("marketplace")) + ":msg:" + tag;
    }
    boost::json::object context{{"customer_messages_in_thread", nth},
                                {"orders", b.orders},
                                {"sample_orders", 0},
                                {"visited_company", false},
                                {"local_influence", false}};
    boost::json::object line{{"id", tag}, {"event", adapters::to_json(e)}, {"context", std::move(context)}};
    pending_.push(Message{at, n, boost::json::serialize(line)});
}

void Generator::flush(std::optional<sla::TimePoint> before) {
    while (!pending_.empty() && (!before || pending_.top().at < *before)) {
        out_ << pending_.top().line << '\n';
        pending_.pop();
        ++summary_.lines;
    }
}

}  // namespace

Expected<TrafficSummary> generate_traffic(const router::Catalog& catalog, const TrafficOptions& options,
                                          std::ostream& out) {
    if (catalog.accounts.empty()) return Error{"the catalogue has no accounts to write to", "accounts"};
    if (options.days < 1 || options.per_day < 1) return Error{"days and per-day must be at least 1"};
    return Generator(catalog, options, out).run();
}

}  // namespace ir::simulate
