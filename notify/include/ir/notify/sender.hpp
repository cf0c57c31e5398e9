#pragma once
// Sends one Outgoing and judges the answer: the step a destination's worker repeats, and
// what `inquiryctl notify test` does once.
#include <atomic>
#include <string>

#include "ir/notify/http_client.hpp"
#include "ir/notify/outgoing.hpp"
#include "ir/notify/verdict.hpp"

namespace ir::notify {

struct Attempt {
    Verdict verdict;
    std::string answer;  // exactly what the endpoint said: status line, headers, body (or the command's output)
};

class Sender {
public:
    explicit Sender(std::string ca_file = {}) : http_(std::move(ca_file)) {}
    Attempt send(const Destination& d, const Outgoing& out, sla::TimePoint now,
                 const std::atomic<bool>* cancel = nullptr);

private:
    HttpClient http_;
};

// A made-up alert (a BREACH of the fast clock) to try a destination with.
Batch sample_batch(const std::string& destination, sla::TimePoint now);

}  // namespace ir::notify
