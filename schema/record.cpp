// The stored record's binary form (see record.h).
#include "record.h"

#include "codec.h"

#include <cstring>

namespace dixit {
namespace {

constexpr char record_version = 1;

void put_string(std::string& out, std::string_view s) {
    append_varint(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

void put_strings(std::string& out, const std::vector<std::string>& v) {
    append_varint(out, static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) put_string(out, s);
}

void put_double(std::string& out, double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
}

// Sections after meta, each a tag byte and its body: a record of before the section (or without it) has
// none, so its bytes stay as they were.
constexpr char attribution_section = 'A';

class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}

    std::uint32_t number() {
        std::uint32_t v = 0;
        if (!read_varint(in_, i_, v)) fail("truncated or overlong number");
        return v;
    }
    std::string string() {
        const std::uint32_t n = number();
        if (n > in_.size() - i_) fail("string past the end");
        std::string out(in_.substr(i_, n));
        i_ += n;
        return out;
    }
    std::vector<std::string> strings() {
        const std::uint32_t n = number();
        if (n > in_.size() - i_) fail("count past the end");  // each string takes at least a byte
        std::vector<std::string> out;
        out.reserve(n);
        for (std::uint32_t k = 0; k < n; ++k) out.push_back(string());
        return out;
    }
    bool flag() {
        const unsigned char b = byte();
        if (b > 1) fail("bad presence byte");
        return b == 1;
    }
    unsigned char byte() {
        if (i_ >= in_.size()) fail("truncated");
        return static_cast<unsigned char>(in_[i_++]);
    }
    double real() {
        std::uint64_t bits = 0;
        for (int k = 0; k < 8; ++k) bits = (bits << 8) | byte();
        double v = 0;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    bool done() const { return i_ == in_.size(); }
    [[noreturn]] void fail(const std::string& why) const {
        throw RecordError("stored record: " + why + " at byte " + std::to_string(i_));
    }

private:
    std::string_view in_;
    std::size_t i_ = 0;
};

}  // namespace

std::string encode_record(const Quote& q) {
    std::string out(1, record_version);
    put_string(out, q.id);
    put_string(out, q.text);
    put_string(out, q.author.name);
    put_string(out, q.author.role);
    put_string(out, q.author.id);
    put_string(out, q.said_on ? q.said_on->iso() : std::string());
    out += static_cast<char>(q.published_at ? 1 : 0);
    if (q.published_at) {
        const auto v = static_cast<std::uint64_t>(*q.published_at);
        for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
    }
    put_strings(out, q.tags);
    put_strings(out, q.entities);
    put_strings(out, q.countries);
    out += static_cast<char>(q.context ? 1 : 0);
    if (q.context) {
        put_string(out, q.context->id);
        put_string(out, q.context->title);
    }
    put_string(out, q.language);
    out += static_cast<char>(q.source ? 1 : 0);
    if (q.source) {
        put_string(out, q.source->url);
        put_string(out, q.source->name);
    }
    if (q.meta.is_object()) {
        std::vector<std::uint8_t> cbor = nlohmann::json::to_cbor(q.meta);
        put_string(out, std::string_view(reinterpret_cast<const char*>(cbor.data()), cbor.size()));
    } else {
        put_string(out, {});
    }
    if (q.attribution) {
        out += attribution_section;
        out += static_cast<char>(q.attribution->confidence ? 1 : 0);
        if (q.attribution->confidence) put_double(out, *q.attribution->confidence);
        append_varint(out, static_cast<std::uint32_t>(q.attribution->others.size()));
        for (const auto& c : q.attribution->others) {
            put_string(out, c.name);
            put_double(out, c.confidence);
        }
    }
    return out;
}

Quote decode_record(std::string_view bytes) {
    Reader r(bytes);
    if (r.byte() != static_cast<unsigned char>(record_version)) r.fail("unknown record version");
    Quote q;
    q.id = r.string();
    q.text = r.string();
    q.author.name = r.string();
    q.author.role = r.string();
    q.author.id = r.string();
    if (std::string said = r.string(); !said.empty()) {
        q.said_on = PartialDate::parse(said);
        if (!q.said_on) r.fail("bad said_on '" + said + "'");
    }
    if (r.flag()) {
        std::uint64_t v = 0;
        for (int k = 0; k < 8; ++k) v = (v << 8) | r.byte();
        q.published_at = static_cast<std::int64_t>(v);
    }
    q.tags = r.strings();
    q.entities = r.strings();
    q.countries = r.strings();
    if (r.flag()) {
        Context c;
        c.id = r.string();
        c.title = r.string();
        q.context = std::move(c);
    }
    q.language = r.string();
    if (r.flag()) {
        Source s;
        s.url = r.string();
        s.name = r.string();
        q.source = std::move(s);
    }
    if (std::string meta = r.string(); !meta.empty()) {
        try {
            q.meta = nlohmann::json::from_cbor(meta);
        } catch (const nlohmann::json::exception& e) {
            r.fail(std::string("bad meta: ") + e.what());
        }
        if (!q.meta.is_object()) r.fail("meta is not an object");
    }
    while (!r.done()) {
        if (r.byte() != static_cast<unsigned char>(attribution_section) || q.attribution) r.fail("unknown section");
        Attribution a;
        if (r.flag()) a.confidence = r.real();
        const std::uint32_t n = r.number();
        for (std::uint32_t k = 0; k < n && !r.done(); ++k) {
            Attribution::Candidate c;
            c.name = r.string();
            c.confidence = r.real();
            a.others.push_back(std::move(c));
        }
        if (a.others.size() != n) r.fail("attribution past the end");
        q.attribution = std::move(a);
    }
    return q;
}

}  // namespace dixit
