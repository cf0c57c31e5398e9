#include "ir/daemon/secret_ref.hpp"

#include <cstdlib>
#include <filesystem>

namespace ir::daemon {

std::optional<std::string> load_secret(const SecretRef& ref, adapters::Secret& out) {
    if (!ref.credential.empty()) {
        const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
        if (!dir || !*dir)
            return ref.key +
                   "_credential: $CREDENTIALS_DIRECTORY is not set: run under systemd with "
                   "LoadCredential=" +
                   ref.credential + ":/path/to/secret, or set it to the folder that holds " + ref.credential;
        auto s =
            adapters::load_secret_file((std::filesystem::path(dir) / ref.credential).string(), ref.key + "_credential");
        if (!s) return ref.key + "_credential: " + s.error().message;
        out = std::move(*s);
        return std::nullopt;
    }
    auto s = adapters::resolve_secret(ref.key, ref.value.empty() ? nullptr : &ref.value,
                                      ref.file.empty() ? nullptr : &ref.file.native());
    if (!s) return ref.key + ": " + s.error().message;
    out = std::move(*s);
    return std::nullopt;
}

}  // namespace ir::daemon
