#include "buyers.hpp"

#include <array>
#include <cctype>
#include <vector>

namespace ir::simulate::detail {
namespace {

// Weights: the dev set's 64 inquiries by sender country.
constexpr std::array<Country, 29> kCountries = {{
    {"US", "the United States", -300, "1", "en", 10},
    {"GB", "the United Kingdom", 0, "44", "en", 6},
    {"AU", "Australia", 660, "61", "en", 4},
    {"IN", "India", 330, "91", "en", 4},
    {"BR", "Brazil", -180, "55", "pt", 3},
    {"AE", "the Emirates", 240, "971", "en", 3},
    {"TR", "Turkey", 180, "90", "en", 3},
    {"DE", "Germany", 60, "49", "de", 3},
    {"PH", "the Philippines", 480, "63", "en", 2},
    {"CA", "Canada", -300, "1", "en", 2},
    {"PL", "Poland", 60, "48", "en", 2},
    {"EG", "Egypt", 120, "20", "en", 2},
    {"PK", "Pakistan", 300, "92", "en", 2},
    {"RU", "Russia", 180, "7", "ru", 2},
    {"SA", "Saudi Arabia", 180, "966", "en", 2},
    {"UA", "Ukraine", 120, "380", "ru", 1},
    {"NL", "the Netherlands", 60, "31", "en", 1},
    {"KR", "Korea", 540, "82", "en", 1},
    {"KE", "Kenya", 180, "254", "en", 1},
    {"AR", "Argentina", -180, "54", "es", 1},
    {"FR", "France", 60, "33", "fr", 1},
    {"IT", "Italy", 60, "39", "en", 1},
    {"ES", "Spain", 60, "34", "es", 1},
    {"GH", "Ghana", 0, "233", "en", 1},
    {"MY", "Malaysia", 480, "60", "en", 1},
    {"BD", "Bangladesh", 360, "880", "en", 1},
    {"MX", "Mexico", -360, "52", "es", 1},
    {"CI", "Ivory Coast", 0, "225", "fr", 1},
    {"NG", "Nigeria", 60, "234", "en", 1},
}};

struct Names {
    std::string_view language;
    std::vector<std::string_view> first, last, company_suffix;
};

const std::vector<Names>& names() {
    static const std::vector<Names> all = {
        {"en",
         {"James", "Mary", "John", "Linda", "David", "Sarah", "Michael", "Emma", "Daniel", "Olivia", "Ahmed", "Priya",
          "Ravi", "Fatima", "Chen", "Grace", "Kwame", "Amina"},
         {"Smith", "Johnson", "Brown", "Taylor", "Wilson", "Khan", "Patel", "Sharma", "Okafor", "Mensah", "Lee", "Kim",
          "Ali", "Hassan", "Reyes", "Santos"},
         {"Trading LLC", "Imports Ltd", "Supplies Co", "Distribution Inc"}},
        {"es",
         {"Carlos", "María", "José", "Lucía", "Diego", "Sofía", "Juan", "Valentina"},
         {"García", "Martínez", "López", "González", "Rodríguez", "Fernández", "Pérez", "Sánchez"},
         {"Comercial S.A.", "Importaciones SRL", "Distribuciones S.L."}},
        {"pt",
         {"João", "Ana", "Pedro", "Camila", "Lucas", "Beatriz", "Rafael", "Juliana"},
         {"Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Rocha", "Almeida"},
         {"Comercial Ltda", "Importadora Ltda", "Distribuidora ME"}},
        {"fr",
         {"Jean", "Marie", "Pierre", "Camille", "Louis", "Chloé", "Koffi", "Awa"},
         {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Kouassi", "Traoré", "Petit"},
         {"Import SARL", "Distribution SAS", "Négoce SARL"}},
        {"de",
         {"Jonas", "Anna", "Lukas", "Lea", "Felix", "Laura", "Maximilian", "Sophie"},
         {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann"},
         {"Handel GmbH", "Import GmbH", "Vertrieb KG"}},
        {"ru",
         {"Ivan", "Olga", "Dmitry", "Elena", "Sergey", "Anna", "Alexey", "Natalia"},
         {"Ivanov", "Petrova", "Smirnov", "Kuznetsova", "Popov", "Sokolova", "Volkov", "Morozova"},
         {"Trade LLC", "Import OOO", "Snab OOO"}},
    };
    return all;
}

const Names& names_of(std::string_view language) {
    for (const auto& n : names())
        if (n.language == language) return n;
    return names().front();
}

}  // namespace

std::span<const Country> countries() {
    return kCountries;
}

const Country& draw_country(Random& random) {
    std::array<double, kCountries.size()> weights{};
    for (std::size_t i = 0; i < kCountries.size(); ++i) weights[i] = kCountries[i].weight;
    return kCountries[random.weighted(weights)];
}

PersonName draw_name(std::string_view language, Random& random) {
    const Names& n = names_of(language);
    return {std::string(n.first[random.below(n.first.size())]), std::string(n.last[random.below(n.last.size())])};
}

std::string company_name(std::string_view language, const std::string& last, Random& random) {
    const Names& n = names_of(language);
    return last + " " + std::string(n.company_suffix[random.below(n.company_suffix.size())]);
}

std::string mail_word(std::string_view s) {
    std::string out;
    for (const unsigned char c : s)
        if (std::isalnum(c) && c < 0x80) out += static_cast<char>(std::tolower(c));
    return out.empty() ? "buyer" : out;
}

}  // namespace ir::simulate::detail
