// Serving the embedded web page: page paths answer with index.html, /static/ with the files of web/.
#include "static_files.h"

#include "api_error.h"

#include <codec.h>
#include <fields.h>

#include <array>
#include <cstdio>

namespace dixit {
namespace {

std::string_view content_type_of(std::string_view path) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> types{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
        {".ico", "image/x-icon"},
    }};
    for (const auto& [extension, type] : types)
        if (path.size() > extension.size() && path.substr(path.size() - extension.size()) == extension) return type;
    return "application/octet-stream";
}

// /static/fields.js: the field table (schema/fields.h) as a module of the page, made from the table
// rather than written again in web/.
const StaticFile& fields_module() {
    static const std::string body = "// The index's fields, from dixit-searchd's field table.\nexport const FIELDS = " +
                                    fields_json() + ";\n";
    static const std::string etag = [] {
        char text[24];
        std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(fnv1a(body)));
        return std::string(text);
    }();
    static const StaticFile file{"/static/fields.js", etag, body};
    return file;
}

const StaticFile* find_file(std::string_view path) {
    if (path == fields_module().path) return &fields_module();
    for (const StaticFile& file : embedded_web_files())
        if (file.path == path) return &file;
    return nullptr;
}

// If-None-Match is a list of quoted tags (possibly W/-prefixed) or "*"; a plain search is enough here.
bool matches_etag(std::string_view if_none_match, std::string_view etag) {
    return if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos;
}

HttpResponse file_response(const HttpRequest& request, const StaticFile& file) {
    HttpResponse response;
    response.content_type = std::string(content_type_of(file.path));
    // The files change only with the binary: revalidate each time (cheap, 304) rather than risk a stale page.
    response.headers = {
        {"Cache-Control", "no-cache"},
        {"ETag", std::string(file.etag)},
        {"X-Content-Type-Options", "nosniff"},
        {"Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'"},
        {"Referrer-Policy", "same-origin"},
    };
    if (matches_etag(request.if_none_match, file.etag)) {
        response.status = 304;
        return response;
    }
    response.body = std::string(file.body);
    return response;
}

}  // namespace

bool is_page_path(std::string_view path) {
    if (path == "/") return true;
    if (path.starts_with("/quote/") && path.size() > 7) return true;
    if (path.empty() || path[0] != '/') return false;
    const std::string_view head = path.substr(1, path.find('/', 1) - 1);
    for (const FieldSpec& f : fields) {
        if (!is_browsable(f)) continue;
        if (path.size() == head.size() + 1 && head == f.index_page) return true;  // /tags
        if (head == f.name && path.size() > head.size() + 2) return true;        // /tag/{value}
    }
    return false;
}

std::optional<HttpResponse> static_response(const HttpRequest& request, std::string_view path) {
    const bool page = is_page_path(path);
    if (!page && !path.starts_with("/static/")) return std::nullopt;
    if (request.method != "GET" && request.method != "HEAD")
        throw ApiError(ErrorCode::MethodNotAllowed, request.method + " is not allowed on " + std::string(path) + " (GET)");
    const StaticFile* file = find_file(page ? "/static/index.html" : path);
    if (!file) throw ApiError(ErrorCode::NotFound, "no such file: " + std::string(path));
    return file_response(request, *file);
}

}  // namespace dixit
