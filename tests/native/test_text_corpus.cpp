// The character vocabulary (UTF-8 aware), the train/validation split and the [T, N] batching.
#include "text/corpus.hpp"
#include "text/sequence_batcher.hpp"
#include "text/utf8.hpp"
#include "text/vocabulary.hpp"

#include <catch2/catch.hpp>

using namespace profundo;

TEST_CASE("spanish accents and inverted marks are single characters", "[text][vocabulary]") {
  const std::string text = "¿Qué? ¡Sí, señor! áéíóúñ";
  const Vocabulary vocabulary = Vocabulary::from_text(text, "quijote");
  const std::vector<int> indices = vocabulary.encode(text, "quijote");
  CHECK(indices.size() == 24);  // code points, not bytes (the text has 35 bytes)
  CHECK(text.size() == 35);
  CHECK(vocabulary.decode(indices) == text);
  CHECK(vocabulary.index_of(U'ñ') >= 0);
  CHECK(vocabulary.symbol(vocabulary.index_of(U'¿')) == "¿");
  // Sorted by code point: ' ' (U+0020) first, then '!', ',', '?', 'Q', ...
  CHECK(vocabulary.code_points().front() == U' ');
  CHECK(vocabulary.size() == 19);
}

TEST_CASE("invalid utf-8 is refused with its byte offset", "[text][vocabulary]") {
  CHECK_THROWS_WITH(decode_utf8("abc\xE9xyz", "latin1.txt"),  // é in Latin-1
                    Catch::Contains("latin1.txt: invalid UTF-8 at byte 3"));
  CHECK_THROWS_WITH(decode_utf8("ab\x80", "t"), Catch::Contains("byte 2 (continuation byte without a lead byte"));
  CHECK_THROWS_WITH(decode_utf8("x\xC3", "t"), Catch::Contains("byte 1 (sequence cut short"));
  CHECK_THROWS_WITH(decode_utf8("\xC3(", "t"), Catch::Contains("byte 0 (lead byte not followed"));
  CHECK_THROWS_WITH(decode_utf8("\xC0\xAF", "t"), Catch::Contains("overlong"));
  CHECK_THROWS_WITH(decode_utf8("\xED\xA0\x80", "t"), Catch::Contains("surrogate"));
  CHECK_THROWS_WITH(decode_utf8("\xF4\x90\x80\x80", "t"), Catch::Contains("above U+10FFFF"));
  CHECK(decode_utf8("\xF0\x9F\x98\x80", "t") == std::vector<char32_t>{0x1F600});
  CHECK(encode_utf8(0x1F600) == "\xF0\x9F\x98\x80");
}

TEST_CASE("an empty or too large corpus is refused politely", "[text][corpus]") {
  CHECK_THROWS_WITH(make_corpus("", 0.1f, 10, "empty.txt"), Catch::Contains("empty.txt: the text is empty"));
  CHECK_THROWS_WITH(Vocabulary::from_text("", "e"), Catch::Contains("the text is empty"));
  const std::string huge(max_corpus_bytes + 1, 'a');
  CHECK_THROWS_WITH(make_corpus(huge, 0.1f, 10, "big.txt"), Catch::Contains("the limit is 16 MB"));
  CHECK_THROWS_WITH(make_corpus("abcdefghij", 0.1f, 10, "short.txt"), Catch::Contains("too few"));
  CHECK_THROWS_WITH(make_corpus("abcdefghij", 0.9f, 1, "x"), Catch::Contains("validation_fraction"));
}

TEST_CASE("the corpus keeps the end of the text for validation", "[text][corpus]") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += static_cast<char>('a' + i % 26);
  const Corpus corpus = make_corpus(text, 0.2f, 4, "abc");
  CHECK(corpus.train.size() == 80);
  CHECK(corpus.validation.size() == 20);
  CHECK(corpus.vocabulary.decode(corpus.validation) == text.substr(80));
  CHECK(corpus.vocabulary.size() == 26);
  CHECK(corpus.bytes == 100);
}

TEST_CASE("unknown characters in a priming text are named", "[text][vocabulary]") {
  const Vocabulary vocabulary = Vocabulary::from_text("abc", "t");
  CHECK_THROWS_WITH(vocabulary.encode("abñ", "priming text"), Catch::Contains("'ñ' (U+00F1) at position 2"));
  std::vector<int> indices;
  CHECK_THROWS_WITH(vocabulary.encode_into("abñ", "priming text", indices),
                    Catch::Contains("'ñ' (U+00F1) at position 2"));
  CHECK_THROWS_WITH(vocabulary.encode_into("ab\xC3", "priming text", indices),
                    Catch::Contains("priming text: invalid UTF-8 at byte 2"));
}

// The sampler's versions, which fill caller-owned storage: the same results as encode and decode,
// whatever the storage held before.
TEST_CASE("encoding and decoding into kept storage replace its contents", "[text][vocabulary]") {
  const std::string text = "¿Qué? ¡Sí, señor! áéíóúñ";
  const Vocabulary vocabulary = Vocabulary::from_text(text, "quijote");
  std::vector<int> indices = {7, 7, 7};
  vocabulary.encode_into(text, "quijote", indices);
  CHECK(indices == vocabulary.encode(text, "quijote"));
  vocabulary.encode_into("", "quijote", indices);
  CHECK(indices.empty());
  std::string decoded = "left over from before, and longer than the new text";
  vocabulary.decode_into(vocabulary.encode("señor", "quijote"), decoded);
  CHECK(decoded == "señor");
}

// Text 0..20 (21 characters), N = 2 streams of (21 − 1)/2 = 10, T = 3: 3 chunks per epoch.
// Stream 0 reads 0..9, stream 1 reads 10..19; chunk 1 continues chunk 0 in each row.
TEST_CASE("batches are [T N] chunks whose rows continue across chunks", "[text][batcher]") {
  std::vector<int> text(21);
  for (int i = 0; i < 21; ++i) text[static_cast<std::size_t>(i)] = i;
  SequenceBatcher batcher(text, 3, 2);
  CHECK(batcher.chunks_per_epoch() == 3);
  std::vector<int> inputs, targets;
  CHECK(batcher.next(inputs, targets));  // first of an epoch
  CHECK(inputs == std::vector<int>{0, 10, 1, 11, 2, 12});
  CHECK(targets == std::vector<int>{1, 11, 2, 12, 3, 13});
  CHECK_FALSE(batcher.next(inputs, targets));
  CHECK(inputs == std::vector<int>{3, 13, 4, 14, 5, 15});
  batcher.next(inputs, targets);
  CHECK(targets == std::vector<int>{7, 17, 8, 18, 9, 19});
  CHECK(batcher.next(inputs, targets));  // wrapped: a new epoch
  CHECK_THROWS_WITH(SequenceBatcher(text, 11, 2), Catch::Contains("fewer than batch_size"));
}
