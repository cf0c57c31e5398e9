#pragma once
// Screens and tiers one inquiry (DOMAIN.md steps 1 and 2). Pure and deterministic:
// the same event, context, catalogue and rules always give the same assessment.
// Build once (compiles every pattern), then call assess() from any thread.
#include <memory>

#include "ir/router/assessment.hpp"
#include "ir/router/catalog.hpp"
#include "ir/router/event.hpp"
#include "ir/base/expected.hpp"
#include "ir/router/rules.hpp"

namespace ir::router {

class Assessor {
public:
    // Fails with the signal id and pattern when a rule pattern does not compile.
    static Expected<Assessor> create(const Catalog& catalog, const Rules& rules);

    Assessment assess(const Event& event, const CustomerContext& context) const;

    // The same in two halves, so the expensive one can run on another thread: what the
    // message itself says (products, phrases, quantities, contacts, language), then the
    // cheap decision that adds what our records know. decide(*analyze(e), e, c) == assess(e, c).
    struct Analysis;
    std::shared_ptr<const Analysis> analyze(const Event& event) const;
    Assessment decide(const Analysis& analysis, const Event& event, const CustomerContext& context) const;

    Assessor(Assessor&&) noexcept;
    Assessor& operator=(Assessor&&) noexcept;
    ~Assessor();

private:
    struct Impl;
    explicit Assessor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::router
