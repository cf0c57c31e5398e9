#pragma once
// `inquiryctl simulate --from-store STATE_DIR`: the traffic a daemon journaled, read from its
// store without writing (a reader beside a running daemon is fine: WAL). Buyer messages come
// at the moment the daemon accepted them. With the recorded people, the replies and resolves
// it stored come too; our outbound messages are left out, since each one's reply is among
// the stored replies already. Orders, accepts, transfers and presence changes are not timed
// in the store, so they are not replayed, and neither are the inquiries retention erased.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/simulate/input.hpp"
#include "ir/store/database.hpp"

namespace ir::cli {

class StoreSource final : public simulate::InputSource {
public:
    static Expected<std::unique_ptr<StoreSource>> open(const std::filesystem::path& state_dir, bool recorded_people);

    // Journal rows whose payload could not be read ("seq N: ..."), skipped.
    const std::vector<std::string>& skipped() const { return skipped_; }
    const std::optional<std::string>& fatal() const { return fatal_; }

protected:
    std::optional<simulate::Input> read() override;

private:
    explicit StoreSource(std::unique_ptr<store::Database> db) : db_(std::move(db)) {}
    std::optional<Error> load_recorded();
    const store::EventRow* next_event();

    std::unique_ptr<store::Database> db_;
    std::vector<store::EventRow> page_;
    std::size_t at_ = 0;
    std::int64_t last_seq_ = 0;
    bool journal_done_ = false;
    std::vector<simulate::Input> recorded_;  // replies and resolves, by time
    std::size_t recorded_at_ = 0;
    sla::TimePoint last_{};
    std::vector<std::string> skipped_;
    std::optional<std::string> fatal_;
};

}  // namespace ir::cli
