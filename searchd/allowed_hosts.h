// Which Host headers dixit-searchd answers, against DNS rebinding: a page of another site whose name is
// pointed at 127.0.0.1 reaches the server from the user's browser, but with that name as its Host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// The host of a Host header or --allowed-hosts entry: lower case, without the port, the brackets of an
/// IPv6 address or a final dot ("Example.ORG.:8080" -> "example.org", "[::1]:80" -> "::1").
std::string host_of(std::string_view host_and_port);

/// The hosts requests may name: the --listen address, the localhost names and loopback addresses when it
/// is a loopback address, any IP address when it is 0.0.0.0 or [::] (every address of the machine; an
/// address cannot be rebound), and the names of --allowed-hosts ("*": any host). Ports are not compared.
class AllowedHosts {
public:
    /// listen_host: the address bound (an IP literal); list: --allowed-hosts, comma-separated.
    /// Throws std::invalid_argument naming an entry that is not a host name, an IP address or "*".
    AllowedHosts(std::string_view listen_host, std::string_view list);
    /// Whether a request with this Host header is answered; one without a Host (HTTP/1.0) always is.
    bool allows(std::string_view host_header) const;

private:
    bool any_ = false;                // "*" in the list
    bool loopback_ = false;           // bound to a loopback address
    bool every_address_ = false;      // bound to 0.0.0.0 or [::]
    std::vector<std::string> names_;  // the listen address (canonical) and the list's names
};

}  // namespace dixit
