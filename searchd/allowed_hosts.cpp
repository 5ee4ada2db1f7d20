// AllowedHosts: the Host header check.
#include "allowed_hosts.h"

#include <text.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <arpa/inet.h>

namespace dixit {
namespace {

// An IP address as inet_ntop writes it ("0:0::1" -> "::1"), or nullopt for a name.
struct Address {
    std::string text;
    bool loopback = false;
    bool unspecified = false;
};

std::optional<Address> parse_address(const std::string& host) {
    unsigned char bytes[16];
    char text[INET6_ADDRSTRLEN];
    if (::inet_pton(AF_INET, host.c_str(), bytes) == 1) {
        ::inet_ntop(AF_INET, bytes, text, sizeof text);
        bool zero = std::all_of(bytes, bytes + 4, [](unsigned char b) { return b == 0; });
        return Address{text, bytes[0] == 127, zero};
    }
    if (::inet_pton(AF_INET6, host.c_str(), bytes) == 1) {
        ::inet_ntop(AF_INET6, bytes, text, sizeof text);
        std::string canonical = text;
        return Address{canonical, canonical == "::1", canonical == "::"};
    }
    return std::nullopt;
}

bool is_localhost_name(std::string_view host) {
    // RFC 6761: localhost and every name under it resolve to loopback (browsers do not ask DNS).
    constexpr std::string_view name = "localhost", under = ".localhost";
    return host == name || (host.size() > under.size() && host.substr(host.size() - under.size()) == under);
}

bool is_host_name(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    });
}

}  // namespace

std::string host_of(std::string_view value) {
    value = trim(value);
    std::string_view host = value;
    if (!value.empty() && value.front() == '[') {
        auto close = value.find(']');
        host = value.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    } else if (auto colon = value.rfind(':'); colon != std::string_view::npos) {
        // name:port; with other colons before, an IPv6 address without brackets, kept whole.
        std::string_view port = value.substr(colon + 1);
        bool digits = std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits && value.find(':') == colon) host = value.substr(0, colon);
    }
    std::string out(host);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
    if (out.size() > 1 && out.back() == '.') out.pop_back();  // "localhost." is "localhost"
    return out;
}

AllowedHosts::AllowedHosts(std::string_view listen_host, std::string_view list) {
    if (auto address = parse_address(host_of(listen_host))) {
        loopback_ = address->loopback;
        every_address_ = address->unspecified;
        names_.push_back(address->text);
    }
    for (std::size_t start = 0; start <= list.size();) {
        std::size_t comma = std::min(list.find(',', start), list.size());
        std::string_view entry = trim(list.substr(start, comma - start));
        start = comma + 1;
        if (entry.empty()) continue;
        if (entry == "*") {
            any_ = true;
            continue;
        }
        std::string host = host_of(entry);
        if (auto address = parse_address(host)) names_.push_back(address->text);
        else if (is_host_name(host)) names_.push_back(host);
        else
            throw std::invalid_argument("--allowed-hosts: '" + std::string(entry) +
                                        "' is not a host name, an IP address or * (for any host)");
    }
}

bool AllowedHosts::allows(std::string_view host_header) const {
    if (trim(host_header).empty() || any_) return true;
    std::string host = host_of(host_header);
    if (auto address = parse_address(host)) {
        if (every_address_ || (loopback_ && address->loopback)) return true;
        host = address->text;
    } else if ((loopback_ || every_address_) && is_localhost_name(host)) {
        return true;
    }
    return std::find(names_.begin(), names_.end(), host) != names_.end();
}

}  // namespace dixit
