#pragma once
// One stored label as a line of the fixtures' format (../shared/fixtures/FORMAT.md), which
// `inquiryctl score` reads: the message the label judged, what our records knew then, and
// the label as `expect`.
#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "ir/base/expected.hpp"
#include "ir/store/database.hpp"

namespace ir::cli {

struct LabelFixture {
    std::optional<boost::json::object> line;  // none: nothing to export, for the reason in `skipped`
    std::string skipped;
};

// `event`: the inquiry's last buyer message, the one its latest assessment (and so the
// label) was about; `context`: what the daemon stored with that assessment, zeros when the
// inquiry row is gone. Skipped when no readable buyer message of it is left. An error is
// the store's.
Expected<LabelFixture> label_fixture(store::Database& db, const store::LabelRow& label);

}  // namespace ir::cli
