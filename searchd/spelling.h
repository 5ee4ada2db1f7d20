// "Did you mean": corrections of the words of q, drawn from the index's own vocabulary (words weighted by
// how many quotes hold them, found within a small edit distance through a trigram index).
#pragma once

#include "store_reader.h"

#include <tokenizer.h>

#include <xapian.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace dixit {

/// The index's words (terms without prefix that hold a letter and no CJK character) with the number of
/// quotes that hold each, and a trigram index over them. Immutable once read; shared by workers.
class Vocabulary {
public:
    /// Reads the words of db's current state (about a second per million distinct words). When there are
    /// more than max_words, the rarest are left out (a correction is a word many quotes hold).
    static std::shared_ptr<const Vocabulary> read(const Xapian::Database& db, std::size_t max_words = 4'000'000);

    /// A word of the vocabulary within max_distance edits of word (Damerau-Levenshtein on code points:
    /// insertion, deletion, substitution, transposition), the closest, then the most frequent; or nullopt.
    struct Match {
        std::string word;
        unsigned distance;
        Xapian::doccount frequency;
    };
    /// Only words that at least min_frequency quotes hold are considered.
    std::optional<Match> closest(std::string_view word, unsigned max_distance, Xapian::doccount min_frequency = 1) const;

    std::size_t size() const { return start_.empty() ? 0 : start_.size() - 1; }
    std::string uuid;           ///< the generation it was read from
    Xapian::rev revision = 0;   ///< and its revision

private:
    std::u32string_view chars(std::uint32_t w) const { return {chars_.data() + start_[w], start_[w + 1] - start_[w]}; }
    std::vector<char32_t> chars_;         ///< every word's code points, one after the other
    std::vector<std::uint32_t> start_;    ///< word → first code point (size words + 1)
    std::vector<std::string> utf8_;       ///< word → as indexed
    std::vector<Xapian::doccount> frequency_;
    std::vector<std::uint64_t> trigrams_;       ///< distinct trigrams, ascending
    std::vector<std::uint32_t> posting_start_;  ///< trigram → first index in postings_ (size trigrams + 1)
    std::vector<std::uint32_t> postings_;       ///< words holding each trigram, ascending
    /// Words of up to short_word + 1 code points by length: a short word's neighbours may share no
    /// trigram with it ("teh", "the"), so they are compared one by one.
    static constexpr std::size_t short_word = 4;
    static constexpr std::size_t max_candidates = 400;  ///< edit distances computed for one word at most
    std::vector<std::vector<std::uint32_t>> short_words_;
};

/// The vocabulary of the index searchd serves, read in the background: for a new generation at once, for
/// new commits of the same one at most every refresh. Thread-safe.
class VocabularyStore {
public:
    VocabularyStore(std::string dir, bool enabled, std::chrono::seconds refresh = std::chrono::seconds(60));
    ~VocabularyStore();
    VocabularyStore(const VocabularyStore&) = delete;
    VocabularyStore& operator=(const VocabularyStore&) = delete;

    /// The vocabulary for db's generation (perhaps a few commits old), or nullptr while the first one is
    /// read; wait: read it on the caller's thread when there is none for db's state (tests, tools).
    std::shared_ptr<const Vocabulary> get(const Xapian::Database& db, bool wait = false);

private:
    void read(Xapian::Database& db);  // the reader thread's work
    std::string dir_;
    bool enabled_;
    std::chrono::seconds refresh_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = true, stop_ = false;  // read at start, before the first search asks
    std::shared_ptr<const Vocabulary> held_;
    std::chrono::steady_clock::time_point read_at_{};
    StoreReader reader_;  ///< last: starts after the members above, stops before them
};

/// What suggest() found: the whole corrected q, or empty when no word needs a correction.
struct Suggestion {
    std::string q;
};

/// The corrections of q's words (outside field filters, prefixes and CJK text): a word that no quote holds
/// becomes the closest frequent word of the vocabulary; a word very few quotes hold becomes a word one edit
/// away that at least 100 times as many quotes hold. Words shorter than 3 characters are left alone, and
/// words of up to 4 take corrections of one edit only.
/// A word no quote holds but whose stem (in one of stem_languages) quotes hold is not corrected.
Suggestion suggest(std::string_view q, const Vocabulary& vocabulary, const Xapian::Database& db, Tokenizer& tokenizer,
                   const std::vector<std::string>& stem_languages);

/// The correction suggest() makes of one folded word (the same rules), or nullopt when it needs none;
/// unknown_only: only of a word no quote holds (like=: a rare word of the text is worth more as it is).
std::optional<std::string> correction(const std::string& term, const Vocabulary& vocabulary, const Xapian::Database& db,
                                      const std::vector<std::string>& stem_languages, bool unknown_only = false);

}  // namespace dixit
