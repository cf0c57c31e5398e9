#pragma once
// A value or an error that says what went wrong and where, for code paths where
// bad input is expected (config files, catalogues, events from the network).
#include <string>
#include <utility>
#include <variant>

namespace ir {

struct Error {
    Error() = default;
    Error(std::string message_, std::string field_ = {}, bool invalid_value_ = false)  // NOLINT: implicit
        : message(std::move(message_)), field(std::move(field_)), invalid_value(invalid_value_) {}

    std::string message;         // what is wrong, in words a user understands
    std::string field;           // where: a JSON field, a config key, a line; may be empty
    bool invalid_value = false;  // well-formed input whose value is not acceptable (HTTP 422, not 400)
    bool operator==(const Error&) const = default;
};

template <class T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
    Expected(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

}  // namespace ir
