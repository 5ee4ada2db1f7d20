// The common word list and the grams built from it (see common_grams.h).
#include "common_grams.h"

#include <algorithm>
#include <array>

namespace dixit {
namespace {

// Folded forms (lower case, no diacritics), sorted for binary search by the static initialiser below.
// Chosen from the most frequent words of English, French, German, Spanish, Italian, Portuguese and
// Russian quotes; changing the list changes the index: it means a new layout_version (layout.h).
constexpr std::array<std::string_view, 210> listed = {
    // English
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "here",
    "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "like", "me", "more", "most", "my",
    "no", "not", "now", "of", "on", "one", "only", "or", "other", "our", "out", "over", "said", "she", "should",
    "so", "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to",
    "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with",
    "would", "you", "your",
    // French
    "au", "aux", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "en", "est", "et", "il", "ils", "je",
    "la", "le", "les", "leur", "mais", "ne", "nous", "ou", "par", "pas", "plus", "pour", "qu", "que", "qui", "sa",
    "se", "ses", "son", "sont", "sur", "un", "une", "vous",
    // German
    "auch", "auf", "aus", "das", "dem", "den", "der", "die", "ein", "eine", "einen", "er", "es", "fur", "ich",
    "ist", "mit", "nicht", "sich", "sie", "und", "von", "wir", "zu",
    // Spanish, Italian, Portuguese
    "con", "del", "della", "di", "e", "el", "em", "lo", "los", "las", "mas", "nao", "o", "os", "para", "per",
    "por", "si", "su", "sus", "uma", "y",
    // Russian
    "а", "бы", "в", "вы", "да", "для", "его", "ее", "же", "за", "и", "из", "к", "как", "мы", "на", "не", "но",
    "о", "он", "она", "они", "от", "по", "с", "так", "то", "ты", "у", "что", "это", "я",
};

const std::vector<std::string_view>& sorted_list() {
    static const std::vector<std::string_view> list = [] {
        std::vector<std::string_view> v(listed.begin(), listed.end());
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
    }();
    return list;
}

}  // namespace

bool is_common_word(std::string_view term) {
    const auto& list = sorted_list();
    return std::binary_search(list.begin(), list.end(), term);
}

std::string common_gram(std::string_view first, std::string_view second) {
    std::string out(common_gram_prefix);
    out.append(first).append(" ").append(second);
    return cap_term(std::move(out), 240);
}

std::vector<std::string> common_grams(const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    const Token* previous = nullptr;
    for (const Token& t : tokens) {
        if (!is_main(t)) continue;  // extras share positions
        if (t.kind == TokenKind::Word && previous && previous->kind == TokenKind::Word &&
            t.position == previous->position + 1 && is_common_word(previous->term))
            out.push_back(common_gram(previous->term, t.term));
        previous = &t;
    }
    return out;
}

}  // namespace dixit
