// Marks the matched words and phrases of a quote's text in HTML, and cuts a snippet around the best match.
#pragma once

#include "query_parser.h"

#include <tokenizer.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace dixit {

/// Lengths of the snippet, in characters.
struct SnippetOptions {
    std::size_t min_text_chars = 300;  ///< texts at least this long get a snippet
    std::size_t snippet_chars = 200;   ///< about this long, cut at word boundaries, "…" where cut
};

/// A hit's text with matches wrapped in <mark>, HTML-escaped; snippet is empty for short texts.
struct Highlight {
    std::string html;
    std::string snippet;
};

/// HTML-escapes text (& < > " ') so that it can be placed in an element or an attribute.
std::string html_escape(std::string_view text);

/// Highlights hits the way the index matched them: same tokenizer, same stemmer (the quote's language).
/// Not thread-safe: one per worker thread.
class Highlighter {
public:
    explicit Highlighter(Tokenizer& tokenizer);
    ~Highlighter();
    /// The highlighted text and snippet of one quote text in language (BCP 47, may be empty).
    Highlight highlight(std::string_view text, std::string_view language, const HighlightSpec& spec,
                        const SnippetOptions& options = {});

private:
    struct Impl;
    Tokenizer& tokenizer_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dixit
