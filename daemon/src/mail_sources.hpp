#pragma once
// Email: each [[adapters.email]] Maildir feeds the pipeline like POST /v1/events.
#include <boost/asio/io_context.hpp>

#include <memory>
#include <vector>

#include "ir/daemon/config.hpp"
#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/metrics.hpp"
#include "ir/daemon/pipeline.hpp"

namespace ir::daemon {

using MailSources = std::vector<std::unique_ptr<MaildirSource>>;

// Starts one source per [[adapters.email]]; their threads hand events to the io thread.
MailSources start_mail_sources(const Config& config, boost::asio::io_context& ioc, Pipeline& pipeline);
// The sources count on their own threads; this copies the counts into the registry.
void mirror_mail_counts(const MailSources& sources, metrics::Registry& registry);

}  // namespace ir::daemon
