#include "templates.hpp"

#include <array>
#include <span>
#include <vector>

namespace ir::simulate::detail {
namespace {

using List = std::vector<std::string_view>;

// {p} product, {q} quantity, {n} name, {c} company, {k} country, {d} a detail question.
struct Language {
    std::string_view code;
    List vague, product, detail, contact, scam, reorder, questions;
    List follow_product, follow_detail, follow_vague, follow_scam;
    std::string_view subject_quote;  // "Quotation"
};

const std::array<Language, 6>& languages() {
    static const std::array<Language, 6> all = {{
        {"en",
         {"Hello, please send me your catalog and price list.", "Hi dear, we are interested. Send details and prices.",
          "Good day, what do you sell? Send your price list.", "hi pls send catalog thx"},
         {"Hello, we need {q} pcs of {p}. What is your best price?",
          "Hi, please quote {q} units of {p}. Thank you, {n}", "Can you offer {p}? We want {q} pieces, price please."},
         {"Hello, we are interested in {p}, about {q} pcs. {d} Best regards, {n}",
          "Hi, quotation for {q} {p} please. {d}"},
         {"Dear sales team, we would like a quotation for {q} pcs of {p}. Regards, {n}, {c}"},
         {"Dear supplier, we are one of the largest importers in {k} with 300 stores. Your company has been selected "
          "as our vendor. A registration fee of USD 200 must be paid before we send the purchase order. Reply "
          "urgently today, otherwise the contract goes to another supplier.",
          "Dear sir, I am the CEO of a leading distributor in {k}. We will order {q} pcs of {p} at once. A vendor "
          "registration fee of USD 150 must be paid by the supplier first. Any delay and the order goes to another "
          "supplier."},
         {"Hello my friend, we want to order {q} pcs of {p} again, same as our last order. Please send the invoice.",
          "Hi, repeat order: {q} units of {p} like last time. {n}"},
         {"What is the carton size and gross weight?", "Can you ship by sea, FOB price?",
          "Please send more pictures and the packaging details.", "What material is it made of?"},
         {"Hello, any update on the {p} quotation? We need {q} pcs.", "Hi, still waiting for your price for {p}."},
         {"Following up on {p}: {d}", "About the {p} again: {d}"},
         {"Hello?? Any reply? Send catalog please", "no answer?"},
         {"URGENT: the registration fee must be paid today, any delay and the contract goes to another supplier."},
         "Quotation"},
        {"es",
         {"Hola, por favor envíenme su catálogo y lista de precios.",
          "Buenos días, ¿qué productos venden? Envíen información."},
         {"Hola, necesitamos {q} unidades de {p}. ¿Cuál es su mejor precio?",
          "Buenas tardes, cotización para {q} piezas de {p}, gracias. {n}"},
         {"Hola, nos interesa {p}, unas {q} piezas. {d} Saludos, {n}"},
         {"Estimados, solicitamos una cotización de {q} piezas de {p}. Saludos, {n}, {c}"},
         {"Estimado proveedor, somos uno de los mayores importadores de {k} con 300 tiendas. Su empresa ha sido "
          "seleccionada como proveedor. Debe pagar una tarifa de registro de USD 200 antes de la orden de compra. "
          "Responda urgente hoy, de lo contrario el contrato será para otro proveedor.",
          "Estimado, somos uno de los mayores distribuidores de {k} y compraremos {q} unidades de {p}. Antes debe "
          "pagar una tarifa de registro de USD 150. Urgente, de lo contrario compramos a otro proveedor."},
         {"Hola amigo, queremos pedir otra vez {q} unidades de {p}, igual que el último pedido."},
         {"¿Cuál es el embalaje y el tamaño de la caja?", "¿Pueden enviar por barco, precio FOB?",
          "Envíen más fotos por favor.", "¿De qué material es?"},
         {"Hola, ¿alguna novedad sobre la cotización de {p}?"},
         {"Sobre {p} otra vez: {d}"},
         {"¿Hola? Sin respuesta, envíen el catálogo por favor."},
         {"URGENTE: la tarifa de registro debe pagarse hoy, de lo contrario el contrato será para otro proveedor."},
         "Cotización"},
        {"pt",
         {"Olá, por favor me enviem o catálogo e a lista de preços.",
          "Bom dia, o que vocês vendem? Mandem informações."},
         {"Olá! Quero comprar {q} unidades do {p}. Qual o melhor preço?",
          "Boa tarde, cotação para {q} peças de {p}, obrigado. {n}"},
         {"Olá, tenho interesse no {p}, umas {q} peças. {d} Abraço, {n}"},
         {"Prezados, solicitamos cotação de {q} peças de {p}. Atenciosamente, {n}, {c}"},
         {"Prezado fornecedor, somos uma das maiores importadoras de {k} com 300 lojas. Sua empresa foi selecionada "
          "como fornecedor. Uma taxa de cadastro de USD 200 deve ser paga antes do pedido. Responda urgente hoje, "
          "caso contrário o contrato vai para outro fornecedor.",
          "Prezado, somos uma das maiores distribuidoras de {k} e vamos comprar {q} unidades do {p}. Antes, uma taxa "
          "de cadastro de USD 150 deve ser paga. Urgente, caso contrário compramos de outro fornecedor."},
         {"Olá amigo, queremos pedir de novo {q} unidades do {p}, igual ao último pedido."},
         {"Qual é a embalagem e o tamanho da caixa?", "Vocês enviam por barco? Preço FOB?", "Podem mandar mais fotos?",
          "Qual é o material?"},
         {"Olá, alguma novidade sobre a cotação do {p}?"},
         {"Sobre o {p} de novo: {d}"},
         {"Olá? Sem resposta, mandem o catálogo por favor."},
         {"URGENTE: a taxa de cadastro deve ser paga hoje, caso contrário o contrato vai para outro fornecedor."},
         "Cotação"},
        {"fr",
         {"Bonjour, merci de m'envoyer votre catalogue et vos prix.",
          "Bonjour, que vendez-vous ? Envoyez des informations s'il vous plaît."},
         {"Bonjour, nous avons besoin de {q} pièces de {p}. Quel est votre meilleur prix ?",
          "Bonsoir, devis pour {q} unités de {p}, merci. {n}"},
         {"Bonjour, nous sommes intéressés par {p}, environ {q} pièces. {d} Cordialement, {n}"},
         {"Madame, Monsieur, nous souhaitons un devis pour {q} pièces de {p}. Cordialement, {n}, {c}"},
         {"Cher fournisseur, nous sommes l'un des plus grands importateurs de {k} avec 300 magasins. Votre société a "
          "été retenue comme fournisseur. Des frais de dossier de 200 USD doivent être payés avant la commande. "
          "Répondez immédiatement aujourd'hui, sinon le contrat sera attribué à un autre fournisseur.",
          "Monsieur, nous sommes l'un des plus grands distributeurs de {k} et nous commandons {q} pièces de {p}. Des "
          "frais de dossier de 150 USD sont à payer d'abord. Urgent, sinon nous prenons un autre fournisseur."},
         {"Bonjour mon ami, nous voulons commander à nouveau {q} pièces de {p}, comme la dernière commande."},
         {"Quel est l'emballage et la taille du colis ?", "Pouvez-vous expédier par bateau, prix FOB ?",
          "Pouvez-vous envoyer plus de photos ?"},
         {"Bonjour, des nouvelles du devis pour {p} ?"},
         {"Encore au sujet de {p} : {d}"},
         {"Bonjour ? Pas de réponse, envoyez le catalogue svp."},
         {"URGENT : les frais de dossier doivent être payés aujourd'hui, sinon le contrat sera attribué à un autre "
          "fournisseur."},
         "Devis"},
        {"de",
         {"Hallo, bitte senden Sie mir Ihren Katalog und Ihre Preisliste.",
          "Guten Tag, was verkaufen Sie? Bitte Informationen senden."},
         {"Hallo, wir benötigen {q} Stück {p}. Was ist Ihr bester Preis?",
          "Guten Tag, bitte ein Angebot für {q} Stück {p}. Danke, {n}"},
         {"Hallo, wir interessieren uns für {p}, etwa {q} Stück. {d} Viele Grüße, {n}"},
         {"Sehr geehrte Damen und Herren, bitte senden Sie uns ein Angebot für {q} Stück {p}. Mit freundlichen "
          "Grüßen, {n}, {c}"},
         {"Sehr geehrter Lieferant, wir sind einer der größten Importeure in {k} mit 300 Filialen. Ihr Unternehmen "
          "wurde ausgewählt als Lieferant. Eine Registrierungsgebühr von 200 USD muss vor der Bestellung bezahlt "
          "werden. Antworten Sie dringend heute noch, sonst geht der Auftrag an einen anderen Lieferanten.",
          "Guten Tag, wir sind einer der größten Händler in {k} und bestellen {q} Stück {p}. Vorher ist eine "
          "Registrierungsgebühr von 150 USD zu zahlen. Dringend, sonst geht der Auftrag an einen anderen Lieferanten."},
         {"Hallo mein Freund, wir möchten wieder {q} Stück {p} bestellen, wie bei der letzten Bestellung."},
         {"Wie ist die Verpackung und die Größe vom Karton?", "Können Sie per Schiff liefern, FOB-Preis?",
          "Können Sie mehr Bilder schicken?", "Welches Material ist das?"},
         {"Hallo, gibt es Neuigkeiten zum Angebot für {p}?"},
         {"Noch einmal zu {p}: {d}"},
         {"Hallo? Keine Antwort, bitte Katalog senden."},
         {"DRINGEND: die Registrierungsgebühr muss heute noch bezahlt werden, sonst geht der Auftrag an einen anderen "
          "Lieferanten."},
         "Angebot"},
        {"ru",
         {"Здравствуйте, пришлите, пожалуйста, каталог и прайс-лист.",
          "Добрый день, что вы продаёте? Пришлите информацию."},
         {"Здравствуйте, нам нужно {q} шт. {p}. Какая лучшая цена?",
          "Добрый день, прошу цену на {q} шт. {p}. Спасибо, {n}"},
         {"Здравствуйте, нас интересует {p}, около {q} шт. {d} С уважением, {n}"},
         {"Добрый день, просим коммерческое предложение на {q} шт. {p}. С уважением, {n}, {c}"},
         {"Уважаемый поставщик, мы один из крупнейших импортёров в {k}, 300 магазинов. Ваша компания выбрана "
          "поставщиком. Регистрационный сбор 200 USD должен быть оплачен до заказа. Ответьте срочно сегодня, иначе "
          "контракт получит другой поставщик.",
          "Здравствуйте, мы один из крупнейших дистрибьюторов в {k}, закажем {q} шт. {p}. Сначала нужно оплатить "
          "регистрационный сбор 150 USD. Срочно, иначе контракт получит другой поставщик."},
         {"Здравствуйте, друг, хотим снова заказать {q} шт. {p}, как в прошлый раз."},
         {"Какая упаковка и размер коробки?", "Можете отправить морем? Цена FOB?", "Пришлите больше фото, пожалуйста.",
          "Какой материал?"},
         {"Здравствуйте, есть новости по цене на {p}?"},
         {"Снова по {p}: {d}"},
         {"Здравствуйте? Нет ответа, пришлите каталог."},
         {"СРОЧНО: регистрационный сбор должен быть оплачен сегодня, иначе контракт получит другой поставщик."},
         "Запрос цены"},
    }};
    return all;
}

const Language& language(std::string_view code) {
    for (const auto& l : languages())
        if (l.code == code) return l;
    return languages().front();
}

std::string_view pick(const List& list, Random& random) {
    return list[random.below(list.size())];
}

std::string fill_in(std::string_view text, const Fill& f, std::string_view question) {
    std::string out;
    out.reserve(text.size() + 64);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}') {
            switch (text[i + 1]) {
                case 'p':
                    out += f.product;
                    break;
                case 'q':
                    out += f.quantity;
                    break;
                case 'n':
                    out += f.name;
                    break;
                case 'c':
                    out += f.company;
                    break;
                case 'k':
                    out += f.country;
                    break;
                case 'd':
                    out += question;
                    break;
                default:
                    out.append(text.substr(i, 3));
                    break;
            }
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

const List& first_list(const Language& l, BodyKind kind) {
    switch (kind) {
        case BodyKind::vague:
            return l.vague;
        case BodyKind::product:
            return l.product;
        case BodyKind::detail:
            return l.detail;
        case BodyKind::contact:
            return l.contact;
        case BodyKind::scam:
            return l.scam;
        case BodyKind::reorder:
            return l.reorder;
    }
    return l.vague;
}

const List& follow_list(const Language& l, BodyKind kind) {
    switch (kind) {
        case BodyKind::vague:
            return l.follow_vague;
        case BodyKind::detail:
            return l.follow_detail;
        case BodyKind::scam:
            return l.follow_scam;
        case BodyKind::product:
        case BodyKind::contact:
        case BodyKind::reorder:
            return l.follow_product;
    }
    return l.follow_product;
}

std::string subject_of(const Language& l, BodyKind kind, const Fill& f) {
    if (kind == BodyKind::vague) return "";
    if (kind == BodyKind::scam) return "Purchase order / " + std::string(l.subject_quote);
    return std::string(l.subject_quote) + ": " + f.product;
}

}  // namespace

Text first_message(BodyKind kind, std::string_view code, const Fill& fill, Random& random) {
    const Language& l = language(code);
    const std::string_view body = pick(first_list(l, kind), random);
    const std::string_view question = pick(l.questions, random);
    return {subject_of(l, kind, fill), fill_in(body, fill, question)};
}

Text follow_up(BodyKind kind, std::string_view code, const Fill& fill, Random& random) {
    const Language& l = language(code);
    const std::string_view body = pick(follow_list(l, kind), random);
    const std::string_view question = pick(l.questions, random);
    return {kind == BodyKind::vague ? "" : "Re: " + subject_of(l, kind, fill), fill_in(body, fill, question)};
}

}  // namespace ir::simulate::detail
