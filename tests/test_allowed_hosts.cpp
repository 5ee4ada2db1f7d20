// The Host header check (DNS rebinding): which Host values each --listen and --allowed-hosts answer.
#include <catch2/catch.hpp>

#include <allowed_hosts.h>

#include <stdexcept>

using namespace dixit;

TEST_CASE("the host of a Host header", "[hosts]") {
    const std::pair<const char*, const char*> cases[] = {
        {"127.0.0.1:8080", "127.0.0.1"}, {"localhost", "localhost"}, {"Example.ORG.:80", "example.org"},
        {"[::1]:8080", "::1"},           {"[::1]", "::1"},           {" dixit.lan ", "dixit.lan"},
        {"::1", "::1"},                  {"", ""},                   {"evil.example:1:2", "evil.example:1:2"},
        {"http://x", "http://x"},        {"x:", "x"},
    };
    for (const auto& [header, host] : cases) {
        INFO("Host: " << header);
        CHECK(host_of(header) == host);
    }
}

TEST_CASE("a request is answered for the listen address, localhost names on loopback and --allowed-hosts", "[hosts]") {
    struct Case {
        const char* listen;   // the address bound
        const char* allowed;  // --allowed-hosts
        const char* host;     // the Host header
        bool answered;
    };
    const Case cases[] = {
        // Loopback: its address, localhost names and loopback addresses, with or without a port.
        {"127.0.0.1", "", "127.0.0.1:8080", true},
        {"127.0.0.1", "", "localhost:8080", true},
        {"127.0.0.1", "", "LOCALHOST.", true},
        {"127.0.0.1", "", "app.localhost", true},
        {"127.0.0.1", "", "[::1]:8080", true},
        {"127.0.0.1", "", "127.0.0.2", true},
        {"127.0.0.1", "", "", true},  // no Host (HTTP/1.0)
        // DNS rebinding: another site's name pointed at 127.0.0.1.
        {"127.0.0.1", "", "evil.example:8080", false},
        {"127.0.0.1", "", "localhost.evil.example", false},
        {"127.0.0.1", "", "evillocalhost", false},
        {"127.0.0.1", "", "10.0.0.1", false},
        {"127.0.0.1", "", ":8080", false},
        {"127.0.0.1", "", "127.0.0.1 evil", false},
        // --allowed-hosts adds names; * answers any.
        {"127.0.0.1", "dixit.lan, Search.Example.org.", "dixit.lan:8080", true},
        {"127.0.0.1", "dixit.lan,search.example.org", "search.example.org", true},
        {"127.0.0.1", "dixit.lan", "other.lan", false},
        {"127.0.0.1", "dixit.lan", "localhost", true},
        {"127.0.0.1", "*", "anything.example", true},
        {"::1", "", "[::1]:8080", true},
        {"::1", "", "localhost", true},
        {"::1", "", "[0:0::1]", true},
        {"::1", "", "evil.example", false},
        // A specific address: that address only (no localhost names: it is not loopback).
        {"192.168.1.5", "", "192.168.1.5:8080", true},
        {"192.168.1.5", "", "localhost", false},
        {"192.168.1.5", "", "192.168.1.6", false},
        {"192.168.1.5", "", "dixit.lan", false},
        {"192.168.1.5", "dixit.lan", "dixit.lan", true},
        {"192.168.1.5", "10.0.0.7", "10.0.0.7:80", true},
        // Every interface: any address (one cannot be rebound) and localhost names, but no other name.
        {"0.0.0.0", "", "192.168.1.5:8080", true},
        {"0.0.0.0", "", "[fe80::1]:8080", true},
        {"0.0.0.0", "", "localhost", true},
        {"0.0.0.0", "", "evil.example", false},
        {"::", "", "10.1.2.3", true},
        {"::", "dixit.example.org", "dixit.example.org:443", true},
    };
    for (const auto& c : cases) {
        INFO("--listen " << c.listen << " --allowed-hosts '" << c.allowed << "', Host: " << c.host);
        CHECK(AllowedHosts(c.listen, c.allowed).allows(c.host) == c.answered);
    }
}

TEST_CASE("an --allowed-hosts entry that is no host is a usage error", "[hosts]") {
    for (const char* list : {"a b", "dixit.lan,http://x", "*.example.org", "x/y", "naïve.example"}) {
        INFO("--allowed-hosts " << list);
        CHECK_THROWS_AS(AllowedHosts("127.0.0.1", list), std::invalid_argument);
    }
    CHECK_NOTHROW(AllowedHosts("127.0.0.1", " , dixit.lan ,"));
    CHECK_NOTHROW(AllowedHosts("127.0.0.1", "[::1]:8080,10.0.0.1"));
}
