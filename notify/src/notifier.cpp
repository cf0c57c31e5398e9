#include "ir/notify/notifier.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "destination_worker.hpp"

namespace ir::notify {

struct Notifier::Impl {
    NotifierOptions options;  // the workers keep a reference: it lives as long as they do
    std::vector<std::unique_ptr<DestinationWorker>> workers;
};

Notifier::Notifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Notifier::~Notifier() {
    stop();
}

Expected<std::unique_ptr<Notifier>> Notifier::start(NotifierOptions options) {
    auto log = spdlog::get("notify");
    if (!log) log = spdlog::stderr_color_mt("notify");
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    auto destinations = std::move(impl->options.destinations);
    impl->options.destinations.clear();
    std::unique_ptr<Notifier> notifier(new Notifier(std::move(impl)));
    for (auto& d : destinations) {
        auto worker = std::make_unique<DestinationWorker>(std::move(d), notifier->impl_->options, log);
        if (auto e = worker->start()) return *e;
        notifier->impl_->workers.push_back(std::move(worker));
    }
    return notifier;
}

void Notifier::wake(std::int64_t last_seq) noexcept {
    for (auto& w : impl_->workers) w->wake(last_seq);
}

void Notifier::stop() {
    for (auto& w : impl_->workers) w->stop();
}

std::vector<DestinationStatus> Notifier::status() const {
    std::vector<DestinationStatus> out;
    out.reserve(impl_->workers.size());
    for (const auto& w : impl_->workers) out.push_back(w->status());
    return out;
}

}  // namespace ir::notify
