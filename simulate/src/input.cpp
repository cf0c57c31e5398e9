#include "ir/simulate/input.hpp"

namespace ir::simulate {

const Input* InputSource::peek() {
    if (!peeked_) {
        ahead_ = read();
        peeked_ = true;
    }
    return ahead_ ? &*ahead_ : nullptr;
}

std::optional<Input> InputSource::next() {
    peek();
    peeked_ = false;
    return std::move(ahead_);
}

}  // namespace ir::simulate
