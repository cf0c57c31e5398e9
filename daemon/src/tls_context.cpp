#include <ir/daemon/http_server.hpp>
#include <ir/daemon/tls_context.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace ir::daemon {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2's forward-secret AEAD suites (Mozilla's "intermediate" list without DHE, which
// would need DH parameters); TLS 1.3 keeps OpenSSL's defaults, which are all of that kind.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

constexpr std::uintmax_t max_pem_bytes = 1 << 20;

std::string read_pem(const std::filesystem::path& path, const char* what) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw TlsError(std::string(what) + " " + path.string() + ": " + ec.message());
    if (size > max_pem_bytes) throw TlsError(std::string(what) + " " + path.string() + ": larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) throw TlsError(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
    return text;
}

// The key is a secret: like the tokens file, refused when group or others may read it.
void check_key_mode(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw TlsError("TLS key " + path.string() + ": " + std::strerror(errno));
    if ((st.st_mode & 077) != 0) {
        throw TlsError("TLS key " + path.string() + ": group or others may read it; run chmod 600 " + path.string());
    }
}

// Offers HTTP/1.1 to clients that negotiate ALPN (browsers, curl); others need none.
int select_http11(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in, unsigned int in_len,
                  void*) {
    static const unsigned char ours[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, out_len, ours, sizeof ours, in, in_len) != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

void restrict_protocols(ssl::context& ctx) {
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                    ssl::context::single_dh_use);
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1) {
        throw TlsError("TLS: this OpenSSL refuses the TLS 1.2+ settings");
    }
    SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);
}

}  // namespace

std::shared_ptr<ssl::context> TlsContext::load(const Files& files) {
    const auto cert = read_pem(files.cert, "TLS certificate");
    check_key_mode(files.key);
    const auto key = read_pem(files.key, "TLS key");
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    restrict_protocols(*ctx);
    boost::system::error_code ec;
    ctx->use_certificate_chain(boost::asio::buffer(cert), ec);
    if (ec) throw TlsError("TLS certificate " + files.cert.string() + ": not a PEM certificate (" + ec.message() + ")");
    // An encrypted key would make OpenSSL prompt on the terminal; answer with no passphrase.
    ctx->set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });
    ctx->use_private_key(boost::asio::buffer(key), ssl::context::pem, ec);
    if (ec) {
        throw TlsError("TLS key " + files.key.string() + ": not an unencrypted PEM private key (" + ec.message() + ")");
    }
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
        throw TlsError("TLS key " + files.key.string() + ": does not match the certificate " + files.cert.string());
    }
    return ctx;
}

TlsContext::TlsContext(Files files) : files_(std::move(files)), current_(load(files_)) {}

Expected<std::shared_ptr<TlsContext>> TlsContext::open(Files files) {
    try {
        auto tls = std::make_shared<TlsContext>(std::move(files));
        http_logger()->info("TLS certificate {}", tls->describe());
        return tls;
    } catch (const std::exception& e) {
        return Error{e.what()};
    }
}

std::optional<std::string> TlsContext::reload() {
    try {
        auto next = load(files_);
        {
            std::lock_guard lock(mutex_);
            current_ = std::move(next);
        }
        http_logger()->info("TLS certificate reloaded: {}", describe());
        return std::nullopt;
    } catch (const std::exception& e) {
        http_logger()->error("TLS certificate not reloaded, new connections keep the previous one: {}", e.what());
        return e.what();
    }
}

std::shared_ptr<ssl::context> TlsContext::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

std::string TlsContext::describe() const {
    const auto ctx = current();
    X509* cert = SSL_CTX_get0_certificate(ctx->native_handle());
    if (!cert) return "no certificate";
    std::string text;
    if (char* subject = X509_NAME_oneline(X509_get_subject_name(cert), nullptr, 0)) {
        text = subject;
        OPENSSL_free(subject);
    }
    if (BIO* bio = BIO_new(BIO_s_mem())) {
        if (ASN1_TIME_print(bio, X509_get0_notAfter(cert)) == 1) {
            char* data = nullptr;
            const long n = BIO_get_mem_data(bio, &data);
            text += ", until ";
            text.append(data, static_cast<std::size_t>(n));
        }
        BIO_free(bio);
    }
    return text;
}

}  // namespace ir::daemon
