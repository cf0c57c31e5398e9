#include "ir/router/assessor.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "contact.hpp"
#include "evidence.hpp"
#include "fold.hpp"
#include "language.hpp"
#include "phrase_matcher.hpp"
#include "product_matcher.hpp"
#include "quantity.hpp"
#include "text.hpp"

namespace ir::router {
namespace {

constexpr std::size_t kMaxSubjectBytes = 4096;
constexpr std::size_t kLanguageSampleBytes = 160;

// Everything the rules look at, measured once per message.
struct Features {
    std::vector<std::size_t> products;  // catalogue indexes, first mention first
    bool model_named = false;           // one of them by its model, not only its type
    std::string scanned;                // the text the phrases were matched in
    Evidence evidence;
    QuantityFinding quantity;
    ContactFinding contact;
    bool large_order = false;
    std::string_view body;
    // What the signals of each kind said, with quotes: worked out with the rest of the
    // analysis (it runs the patterns again), so the decision needs no regex.
    std::array<std::string, kSignalKinds> explained;
};

std::string clean(std::string_view s, std::size_t max_bytes) {
    s = text::utf8_prefix(s, max_bytes);
    return text::is_valid_utf8(s) ? std::string(s) : text::repair_utf8(s);
}

std::string quoted(std::string words) {
    if (words.size() > 60) words = std::string(text::utf8_prefix(words, 60));
    return words.empty() ? words : " (\"" + words + "\")";
}

std::string digits_of(std::string_view token) {
    std::size_t n = 0;
    while (n < token.size() && token[n] >= '0' && token[n] <= '9') ++n;
    return std::string(token.substr(0, n));
}

// The numbers a product's own name carries ("750" of "Bottle 750ml", "65" of "65W Charger").
std::vector<std::vector<std::string>> numbers_in_names(const Catalog& catalog) {
    std::vector<std::vector<std::string>> out;
    for (const auto& p : catalog.products) {
        std::vector<std::string> numbers;
        for (const auto& word : text::fold_words(p.name))  // the name only: "400 gsm" of an alias is a spec
            if (auto d = digits_of(word); !d.empty()) numbers.push_back(std::move(d));
        out.push_back(std::move(numbers));
    }
    return out;
}

std::string uninformed_how(const Features& f) {
    if (f.products.empty()) return " (names none)";
    const std::string& scope = f.explained[static_cast<std::size_t>(SignalKind::scope)];
    return scope.empty() ? " (names only their type and asks nothing about them)" : ": " + scope;
}

}  // namespace

struct Assessor::Impl {
    Catalog catalog;
    Rules rules;
    ProductMatcher products;
    PhraseMatcher phrases;
    QuantityFinder quantities;
    ContactFinder contacts;
    std::vector<std::vector<std::string>> name_numbers;  // by product: the numbers in its names ("750", "65")

    Features measure(const Event& event, const std::string& scored, const std::string& body) const;
    void blank_name_numbers(const std::vector<text::Token>& tokens, Features& f) const;
    std::vector<ScamSign> scam_signs(const Event& event, const CustomerContext& ctx, const Features& f) const;
    int tier(const CustomerContext& ctx, const Features& f, std::vector<std::string>& reasons) const;
    void explain_signs(const std::vector<ScamSign>& signs, const Features& f, bool suspect,
                       std::vector<std::string>& reasons) const;
    double score(int tier, const Features& f, std::size_t sign_count) const;
    std::uint64_t large_quantity_for(std::string_view account) const;
    std::string explain_kind(SignalKind kind, const Features& f) const;
    static const std::string& explained(SignalKind kind, const Features& f) {
        return f.explained[static_cast<std::size_t>(kind)];
    }
};

Assessor::Assessor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Assessor::Assessor(Assessor&&) noexcept = default;
Assessor& Assessor::operator=(Assessor&&) noexcept = default;
Assessor::~Assessor() = default;

Expected<Assessor> Assessor::create(const Catalog& catalog, const Rules& rules) {
    auto phrases = PhraseMatcher::create(rules.signals);
    if (!phrases) return phrases.error();
    auto impl = std::unique_ptr<Impl>(new Impl{catalog, rules, ProductMatcher(catalog, rules.lexicon), std::move(*phrases),
                                               QuantityFinder(), ContactFinder(rules.free_mail_domains),
                                               numbers_in_names(catalog)});
    return Assessor(std::move(impl));
}

std::uint64_t Assessor::Impl::large_quantity_for(std::string_view account) const {
    if (const Account* a = catalog.find_account(account)) {
        auto it = rules.large_quantity_by_platform.find(a->platform);
        if (it != rules.large_quantity_by_platform.end()) return it->second;
    }
    return rules.large_quantity;
}

// What the signals of one kind said. Scam signs quote the words of each signal; details
// (common, and cheap to explain) quote only the first.
std::string Assessor::Impl::explain_kind(SignalKind kind, const Features& f) const {
    std::string out;
    for (const auto& s : f.evidence.signals) {
        if (s.signal->kind != kind) continue;
        const bool quote = kind != SignalKind::detail || out.empty();
        out.append(out.empty() ? "" : "; ").append(s.signal->reason);
        if (quote) out.append(quoted(phrases.snippet(s.first_hit, f.scanned)));
    }
    return out;
}

Features Assessor::Impl::measure(const Event& event, const std::string& scored, const std::string& body) const {
    Features f;
    f.scanned = scored;  // product names must not count as details ("65W", "3000mAh")
    std::vector<std::uint32_t> noun_starts;
    const auto folded = text::fold_tokens(scored);
    for (const auto& m : products.find(folded.tokens)) {
        if (std::find(f.products.begin(), f.products.end(), m.product) == f.products.end())
            f.products.push_back(m.product);
        std::fill(f.scanned.begin() + m.begin, f.scanned.begin() + m.end, ' ');
        noun_starts.push_back(m.begin);
        f.model_named |= m.model;
    }
    blank_name_numbers(folded.tokens, f);
    f.scanned += "\n";
    f.scanned += clean(event.sender.company, kMaxSubjectBytes);  // "... International Group"
    f.evidence = collect_evidence(rules.signals, phrases, f.scanned);
    f.quantity = quantities.find(scored, noun_starts);  // in text order: matches come left to right
    f.contact = contacts.find(event.sender, body);
    f.body = body;
    f.large_order = f.quantity.containers || f.quantity.largest_units >= large_quantity_for(event.account) ||
                    f.evidence.of(SignalKind::volume) >= rules.sign_threshold;
    // Quoted only where a reason may need it: a kind whose evidence can decide something
    // (cues never are a reason; sign 3 at half counts beside an unusual request).
    for (std::size_t k = 0; k < kSignalKinds; ++k) {
        const auto kind = static_cast<SignalKind>(k);
        const double needed = kind == SignalKind::detail   ? rules.detail_threshold
                              : kind == SignalKind::sign3 ? rules.sign_threshold / 2
                                                          : rules.sign_threshold;
        if (kind != SignalKind::cue && f.evidence.of(kind) >= needed) f.explained[k] = explain_kind(kind, f);
    }
    return f;
}

// "1,200 Powerbanks 20000 mAh", "thermosfles 750ml": the numbers of a named product's own
// name, and the unit after them, restate the name; they are not a technical question.
void Assessor::Impl::blank_name_numbers(const std::vector<text::Token>& tokens, Features& f) const {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string digits = digits_of(tokens[i].text);
        if (digits.empty()) continue;
        const bool ours = std::any_of(f.products.begin(), f.products.end(), [&](std::size_t p) {
            const auto& n = name_numbers[p];
            return std::find(n.begin(), n.end(), digits) != n.end();
        });
        if (!ours) continue;
        const std::uint32_t begin = tokens[i].begin;
        std::uint32_t end = tokens[i].end;
        const bool unit_follows = digits.size() == tokens[i].text.size() && i + 1 < tokens.size() &&
                                  tokens[i + 1].text.size() <= 4 && tokens[i + 1].begin <= end + 1 &&
                                  digits_of(tokens[i + 1].text).empty();
        if (unit_follows) end = tokens[++i].end;
        std::fill(f.scanned.begin() + begin, f.scanned.begin() + end, ' ');
    }
}

std::vector<ScamSign> Assessor::Impl::scam_signs(const Event& event, const CustomerContext& ctx,
                                                 const Features& f) const {
    const double t = rules.sign_threshold;
    const bool named = !f.products.empty();
    const bool claims = f.evidence.of(SignalKind::claim) >= t;
    const bool unverifiable = f.contact.free_mail || (!f.contact.company_domain && !f.contact.website);
    std::vector<ScamSign> signs;
    const bool unusual = f.evidence.of(SignalKind::sign2) >= t;
    const bool blind_order = !named && f.evidence.of(SignalKind::blind_order) >= t;
    // A large order shows no knowledge of our products when it names none, names them
    // vaguely ("any model"), or names only their type and asks nothing about them
    // ("50,000 sleeping bags"); a returning buyer knows them.
    const bool known_buyer = ctx.orders > 0 || ctx.sample_orders > 0;
    const bool asks_nothing = !f.model_named && f.evidence.of(SignalKind::detail) == 0;
    const bool uninformed = !named || f.evidence.of(SignalKind::scope) >= t || asks_nothing;
    if (((f.large_order && uninformed) || blind_order) && !known_buyer)
        signs.push_back(ScamSign::large_order_uninformed);
    if (unusual) signs.push_back(ScamSign::unusual_request);
    // A deadline set on an unusual request (pay the fee today, log in by tonight) is the
    // pressure of sign 3 even in mild words.
    if (f.evidence.of(SignalKind::sign3) >= (unusual ? t / 2 : t)) signs.push_back(ScamSign::visit_or_urgency);
    if (claims && unverifiable) signs.push_back(ScamSign::unverifiable_big_company);
    // Terse for a letter that claims size, orders blind or asks the unusual: a phishing
    // "see the order behind this link" is a few lines, a real company's letter is not.
    // A letter that asks technical details is short by choice, not a sham's few lines.
    const bool asks_details = f.evidence.of(SignalKind::detail) >= rules.detail_threshold &&
                              f.evidence.of(SignalKind::scope) < t;
    if (event.channel != Channel::chat && (claims || unusual || (f.large_order && !named && !known_buyer)) &&
        !asks_details && text::count_words(f.body, rules.terse_max_words) <= rules.terse_max_words)
        signs.push_back(ScamSign::terse_format);
    return signs;
}

int Assessor::Impl::tier(const CustomerContext& ctx, const Features& f, std::vector<std::string>& reasons) const {
    std::vector<std::string> why;
    if (ctx.orders) why.push_back("has placed " + std::to_string(ctx.orders) + " order(s) with us");
    if (ctx.sample_orders) why.push_back("has placed " + std::to_string(ctx.sample_orders) + " sample order(s)");
    if (ctx.visited_company) why.push_back("has visited our company");
    if (ctx.local_influence) why.push_back("is known to have local influence");
    for (auto& w : why) reasons.push_back("tier 1: the customer " + w);
    if (!why.empty()) return 1;

    std::string names;
    for (std::size_t p : f.products) {
        const Product& product = catalog.products[p];
        names.append(names.empty() ? "" : ", ").append(product.name).append(" (").append(product.sku).append(")");
    }
    // "Every colour and size", "any capacity": details asked in a vague scope are no knowledge.
    const bool vague = f.evidence.of(SignalKind::scope) >= rules.sign_threshold;
    if (!f.products.empty() && f.evidence.of(SignalKind::detail) >= rules.detail_threshold && !vague)
        why.push_back("names " + names + " and " + explained(SignalKind::detail, f));
    if (ctx.customer_messages_in_thread >= rules.tier2_min_messages)
        why.push_back(std::to_string(ctx.customer_messages_in_thread) +
                      " buyer messages in this conversation show obvious interest");
    if (f.contact.complete()) why.push_back("gives complete contact details (company, address, phone, email, IM)");
    for (auto& w : why) reasons.push_back("tier 2: " + w);
    if (!why.empty()) return 2;

    if (!f.products.empty()) {
        const std::string qty = f.quantity.largest_units ? ", quantity " + f.quantity.words : "";
        reasons.push_back("tier 3: names " + names + qty);
        return 3;
    }
    reasons.push_back("tier 4: names no product from our catalogue");
    if (const auto missing = f.contact.missing(); missing.size() == 5)
        reasons.push_back("tier 4: gives no contact details");
    return 4;
}

void Assessor::Impl::explain_signs(const std::vector<ScamSign>& signs, const Features& f, bool suspect,
                                   std::vector<std::string>& reasons) const {
    const std::string prefix = suspect ? "scam sign " : "scam sign (alone not enough to suspect) ";
    auto kind_text = [&](SignalKind k) { return explained(k, f); };
    const std::string qty = f.quantity.containers      ? "orders by the container"
                            : f.quantity.largest_units ? "orders " + f.quantity.words + " units"
                                                       : kind_text(SignalKind::volume);
    for (ScamSign s : signs) {
        std::string text;
        switch (s) {
            case ScamSign::large_order_uninformed:
                text = !f.large_order ? "1: " + kind_text(SignalKind::blind_order) + " and names no product"
                                      : "1: " + qty + " without knowing our products" + uninformed_how(f);
                break;
            case ScamSign::unusual_request:
                text = "2: " + kind_text(SignalKind::sign2);
                break;
            case ScamSign::visit_or_urgency:
                text = "3: " + kind_text(SignalKind::sign3);
                break;
            case ScamSign::unverifiable_big_company:
                text = "4: " + kind_text(SignalKind::claim) +
                       (f.contact.free_mail ? ", but writes from a free-mail address"
                                            : ", but gives no company domain or website");
                break;
            case ScamSign::terse_format:
                text =
                    "5: " + std::to_string(text::count_words(f.body)) + " words: too terse for a real company's letter";
                break;
        }
        reasons.push_back(prefix + text);
    }
}

double Assessor::Impl::score(int tier_, const Features& f, std::size_t sign_count) const {
    const ScoreWeights& w = rules.score;
    double s = w.tier_base[tier_ - 1];
    s += std::min(w.max_detail_bonus, w.per_detail * f.evidence.of(SignalKind::detail));
    if (f.contact.complete()) s += w.complete_contact;
    s -= w.per_scam_sign * static_cast<double>(sign_count);
    return std::round(std::clamp(s, 0.0, 100.0));
}

struct Assessor::Analysis {
    std::string body;  // cleaned; features.body views it, so an Analysis never moves
    Features features;
    std::string language;
};

std::shared_ptr<const Assessor::Analysis> Assessor::analyze(const Event& event) const {
    auto a = std::make_shared<Analysis>();
    a->body = clean(event.body, impl_->rules.max_scored_bytes);
    const std::string scored = clean(event.subject, kMaxSubjectBytes) + "\n" + a->body;
    a->features = impl_->measure(event, scored, a->body);
    // A few hundred bytes tell the language as well as a whole letter, at a fraction of the cost.
    a->language = detect_language(text::utf8_prefix(a->body.empty() ? scored : a->body, kLanguageSampleBytes));
    return a;
}

Assessment Assessor::assess(const Event& event, const CustomerContext& context) const {
    return decide(*analyze(event), event, context);
}

Assessment Assessor::decide(const Analysis& analysis, const Event& event, const CustomerContext& context) const {
    const Features& f = analysis.features;
    Assessment a;
    a.tier = impl_->tier(context, f, a.reasons);
    a.scam_signs = impl_->scam_signs(event, context, f);
    a.suspect = static_cast<int>(a.scam_signs.size()) >= impl_->rules.suspect_min_signs;
    a.large_order = f.large_order;
    impl_->explain_signs(a.scam_signs, f, a.suspect, a.reasons);
    a.score = impl_->score(a.tier, f, a.suspect ? a.scam_signs.size() : 0);
    a.language = analysis.language;
    for (std::size_t p : f.products) a.products.push_back(impl_->catalog.products[p].sku);
    return a;
}

}  // namespace ir::router
