#include "store_source.hpp"

#include <algorithm>

#include "event_proto.hpp"

namespace ir::cli {

Expected<std::unique_ptr<StoreSource>> StoreSource::open(const std::filesystem::path& state_dir, bool recorded_people) {
    const auto path = state_dir / "inquiryd.db";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Error{path.string() + ": no store here (is it a state folder?)"};
    store::Options options;
    options.path = path;
    options.read_only = true;
    auto db = store::Database::open(options);
    if (!db) return Error{path.string() + ": " + db.error().message};
    std::unique_ptr<StoreSource> source(new StoreSource(std::move(*db)));
    if (recorded_people)
        if (auto e = source->load_recorded()) return Error{path.string() + ": " + e->message};
    return source;
}

std::optional<Error> StoreSource::load_recorded() {
    auto replies = db_->replies(store::ReplyFilter{});
    if (!replies) return replies.error();
    for (const auto& r : *replies) {
        if (r.inquiry_id == 0) continue;  // kept as an aggregate by retention: its inquiry is gone
        simulate::Input in;
        in.kind = simulate::Input::Kind::reply;
        in.at = r.replied_at;
        in.agent = r.agent;
        in.recorded_inquiry = static_cast<std::uint64_t>(r.inquiry_id);
        recorded_.push_back(std::move(in));
    }
    store::InquiryFilter filter;
    filter.state = "resolved";
    for (;;) {
        auto page = db_->inquiries(filter);
        if (!page) return page.error();
        for (const auto& row : *page) {
            simulate::Input in;
            in.kind = simulate::Input::Kind::resolve;
            in.at = row.updated_at;
            in.recorded_inquiry = static_cast<std::uint64_t>(row.id);
            recorded_.push_back(std::move(in));
        }
        if (page->size() < filter.limit) break;
        filter.after_id = page->back().id;
    }
    // By time; at one moment a reply before the resolve (a decline is both).
    std::stable_sort(recorded_.begin(), recorded_.end(),
                     [](const auto& a, const auto& b) { return a.at != b.at ? a.at < b.at : a.kind < b.kind; });
    return std::nullopt;
}

// The next inbound journal row, paging through the journal in seq order.
const store::EventRow* StoreSource::next_event() {
    for (;;) {
        if (at_ < page_.size()) {
            const store::EventRow& row = page_[at_];
            if (row.direction != "outbound") return &row;
            ++at_;
            continue;
        }
        if (journal_done_) return nullptr;
        auto page = db_->events_since(last_seq_, 4096);
        if (!page) {
            fatal_ = "cannot read the journal: " + page.error().message;
            journal_done_ = true;
            return nullptr;
        }
        page_ = std::move(*page);
        at_ = 0;
        if (page_.empty())
            journal_done_ = true;
        else
            last_seq_ = page_.back().seq;
    }
}

std::optional<simulate::Input> StoreSource::read() {
    for (;;) {
        const store::EventRow* row = next_event();
        const bool take_recorded =
            recorded_at_ < recorded_.size() && (!row || recorded_[recorded_at_].at < row->accepted_at);
        if (take_recorded) {
            simulate::Input in = std::move(recorded_[recorded_at_++]);
            last_ = std::max(last_, in.at);
            in.at = last_;
            return in;
        }
        if (!row) return std::nullopt;
        ++at_;
        if (row->payload.empty()) continue;  // erased by retention: nothing left to replay
        auto event = event_from_proto(row->payload);
        if (!event) {
            skipped_.push_back("event seq " + std::to_string(row->seq) + ": the stored payload is not an InquiryEvent");
            continue;
        }
        simulate::Input in;
        last_ = std::max(last_, row->accepted_at);
        in.at = last_;
        in.event = std::move(*event);
        in.recorded_inquiry = row->inquiry_id ? static_cast<std::uint64_t>(*row->inquiry_id) : 0;
        return in;
    }
}

}  // namespace ir::cli
