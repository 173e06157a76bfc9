#include "filter/regex.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

namespace hookgate::filter {
namespace {

struct Case {
  std::string_view pattern;
  std::string_view text;
  bool matches;
};

bool search(std::string_view pattern, std::string_view text) {
  std::string error;
  const std::optional<Regex> re = Regex::compile(pattern, error);
  EXPECT_TRUE(re.has_value()) << pattern << ": " << error;
  return re && re->search(text);
}

std::string compile_error(std::string_view pattern) {
  std::string error;
  const std::optional<Regex> re = Regex::compile(pattern, error);
  EXPECT_FALSE(re.has_value()) << pattern;
  return error;
}

// Every syntax feature, with a text that matches and one that does not.
const Case kCases[] = {
    // literals; unanchored search
    {"", "", true},
    {"", "anything", true},
    {"abc", "xxabcxx", true},
    {"abc", "abxc", false},
    {"abc", "", false},
    {"a\xC3\xA9", "ca\xC3\xA9", true},  // UTF-8 bytes are literal bytes
    // dot: any byte but \n
    {"a.c", "abc", true},
    {"a.c", "a\x01" "c", true},
    {"a.c", "a\nc", false},
    {"a.c", "ac", false},
    {".", std::string_view("\0", 1), true},
    // classes
    {"[a-z_]+$", "hello_world", true},
    {"^[a-z_]+$", "Hello", false},
    {"[^abc]", "abc", false},
    {"[^abc]", "abcd", true},
    {"[]a]", "]", true},
    {"[]a]", "b", false},
    {"[^]a]", "]a", false},
    {"[^]a]", "]ab", true},
    {"[-a]", "-", true},
    {"[a-]", "-", true},
    {"[a\\-z]", "-", true},
    {"[a\\-z]", "b", false},
    {"[\\]]", "]", true},
    {"[\\\\]", "\\", true},
    {"[\\d]", "7", true},
    {"[\\d_]+$", "_12", true},
    {"[^\\d]", "123", false},
    {"[\\s]", "a b", true},
    {"[\\n]", "\n", true},
    {"[0-9a-fA-F]{4}", "beef", true},
    {"[0-9a-fA-F]{4}", "bee", false},
    {"[.]", "a", false},
    {"[.]", ".", true},
    {"[$^]", "^", true},
    {"[\\x41-\\x43]", "B", true},
    // escapes
    {"\\d+", "abc123", true},
    {"\\d", "abc", false},
    {"^\\D+$", "abc", true},
    {"^\\D+$", "ab1", false},
    {"\\w", "!!_!!", true},
    {"\\w", "!-!", false},
    {"^\\W+$", "!-!", true},
    {"\\s", "a\tb", true},
    {"\\s", "a\vb", false},  // RE2's \s has no \v
    {"^\\S+$", "a\tb", false},
    {"\\t\\n\\r\\f\\v", "\t\n\r\f\v", true},
    {"\\.", "a", false},
    {"\\.", ".", true},
    {"\\\\", "\\", true},
    {"\\/\\-\\$\\^\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|", "/-$^*+?()[]{}|", true},
    {"\\x41", "A", true},
    {"\\x00", std::string_view("a\0b", 3), true},
    // anchors: the whole text, no multi-line mode
    {"^abc", "abcd", true},
    {"^abc", "xabc", false},
    {"abc$", "xabc", true},
    {"abc$", "abc\n", false},
    {"^$", "", true},
    {"^$", "\n", false},
    {"^a$", "a", true},
    {"a^b", "ab", false},
    {"a$b", "ab", false},
    {"\\Aab\\z", "ab", true},
    {"\\Aab\\z", "xab", false},
    {"(^a|b)", "xa", false},
    {"(^a|b)", "xb", true},
    {"(^a)+", "aa", true},
    {"(^)+a", "ba", false},
    {"(^)+a", "ab", true},
    {"b($)*", "ab", true},
    {"($)+b", "ab", false},
    // groups
    {"(ab)+$", "xabab", true},
    {"^(ab)+$", "aba", false},
    {"(?:ab)+c", "ababc", true},
    {"a(b(c(d)))e", "abcde", true},
    {"()", "x", true},
    {"()*x", "x", true},
    // alternation, with empty alternatives
    {"cat|dog", "hotdog", true},
    {"cat|dog", "cow", false},
    {"a|", "zzz", true},
    {"|a", "zzz", true},
    {"|", "", true},
    {"^(a|)$", "", true},
    {"^(a|)$", "a", true},
    {"^(a|)$", "aa", false},
    {"^(|a|b)c$", "bc", true},
    {"x(?:|y)z", "xz", true},
    // quantifiers
    {"^ab*c$", "ac", true},
    {"^ab*c$", "abbbc", true},
    {"^ab+c$", "ac", false},
    {"^ab+c$", "abc", true},
    {"^ab?c$", "abbc", false},
    {"^ab?c$", "ac", true},
    {"^a{3}$", "aaa", true},
    {"^a{3}$", "aa", false},
    {"^a{3}$", "aaaa", false},
    {"^a{2,}$", "a", false},
    {"^a{2,}$", "aaaaaa", true},
    {"^a{2,4}$", "aaaa", true},
    {"^a{2,4}$", "aaaaa", false},
    {"^a{0}b$", "b", true},
    {"^a{0}b$", "ab", false},
    {"^a{0,0}$", "", true},
    {"^a{1,1}$", "a", true},
    {"^(ab){2}$", "abab", true},
    {"^a{1000}$", std::string_view("aaaaaaaaaa"), false},
    // lazy forms give the same yes/no answer
    {"^a*?$", "aaa", true},
    {"^a+?b$", "aab", true},
    {"^a??b$", "ab", true},
    {"^a{2,3}?$", "aaa", true},
    {"^a{2,}?$", "a", false},
    // `{` not starting a well-formed repeat is a literal (RE2)
    {"a{", "a{", true},
    {"a{,3}", "a{,3}", true},
    {"a{,3}", "aaa", false},
    {"x{y}", "x{y}", true},
    {"a{1", "a{1", true},
    {"a{1,2", "a{1,2", true},
    {"{", "{", true},
    {"}", "}", true},
    {"]", "]", true},
    {"{2}x", "{2}x", false},  // nothing to repeat: see the error cases
    // nested quantifiers are accepted
    {"(a+)+$", "aaa", true},
    {"(a*)*b", "aab", true},
    {"(a|a)*b", "aab", true},
    {"((a*)*)*$", "", true},
    {"(a?){3}a{3}", "aaa", true},
    // (?i): ASCII case folding for the whole pattern
    {"(?i)hello", "HeLLo", true},
    {"(?i)[a-c]+$", "xABC", true},
    {"(?i)[^a]", "aA", false},
    {"(?i)[^a]", "aAb", true},
    {"(?i)\\x41", "a", true},
    {"(?i)\\W", "A", false},
    {"hello", "HELLO", false},
    {"(?i)", "x", true},
};

TEST(Regex, MatchesTheSyntaxTable) {
  for (const Case& c : kCases) {
    if (c.pattern == "{2}x") continue;  // an error case, kept in the table as a reminder
    EXPECT_EQ(search(c.pattern, c.text), c.matches) << "pattern /" << c.pattern << "/ text \"" << c.text << "\"";
  }
}

TEST(Regex, KeepsThePatternText) {
  std::string error;
  const auto re = Regex::compile("a+b", error);
  ASSERT_TRUE(re);
  EXPECT_EQ(re->pattern(), "a+b");
  EXPECT_TRUE(error.empty());
  const Regex copy = *re;  // copies share the program
  EXPECT_TRUE(copy.search("aab"));
}

TEST(Regex, DefaultConstructedMatchesNothing) {
  const Regex never;
  EXPECT_FALSE(never.search(""));
  EXPECT_FALSE(never.search("abc"));
}

TEST(Regex, CompileErrorsNameTheReasonAndOffset) {
  const std::pair<std::string_view, std::string_view> errors[] = {
      {"abc(de))", "unbalanced ')' at offset 7"},
      {")", "unbalanced ')' at offset 0"},
      {"(ab", "missing ')' for '(' at offset 0"},
      {"a(b(c)", "missing ')' for '(' at offset 1"},
      {"*a", "nothing to repeat at offset 0"},
      {"+", "nothing to repeat at offset 0"},
      {"a|?", "nothing to repeat at offset 2"},
      {"(*)", "nothing to repeat at offset 1"},
      {"{2}x", "nothing to repeat at offset 0"},
      {"(?i)*", "nothing to repeat at offset 4"},
      {"^*", "nothing to repeat at offset 1"},
      {"a$+", "nothing to repeat at offset 2"},
      {"a**", "quantifier follows a quantifier at offset 2; use a group"},
      {"a{2}{3}", "quantifier follows a quantifier at offset 4; use a group"},
      {"a+??", "quantifier follows a quantifier at offset 3; use a group"},
      {"abc\\1", "backreferences are not supported (\\1 at offset 3)"},
      {"(a)\\2", "backreferences are not supported (\\2 at offset 3)"},
      {"\\bfoo", "word boundaries are not supported (\\b at offset 0)"},
      {"x\\B", "word boundaries are not supported (\\B at offset 1)"},
      {"\\p{L}", "unknown escape \\p at offset 0"},
      {"\\q", "unknown escape \\q at offset 0"},
      {"\\_", "unknown escape \\_ at offset 0"},
      {"\\0", "unknown escape \\0 at offset 0"},
      {"[\\z]", "unknown escape \\z at offset 1"},
      {"[\\b]", "word boundaries are not supported (\\b at offset 1)"},
      {"\\xZZ", "bad \\x escape at offset 0 (want two hex digits, \\xHH)"},
      {"ab\\", "trailing backslash at offset 2"},
      {"[ab", "missing ']' for '[' at offset 0"},
      {"x[]", "missing ']' for '[' at offset 1"},
      {"[^]", "missing ']' for '[' at offset 0"},
      {"[z-a]", "bad character class range z-a at offset 1"},
      {"[\\d-z]", "bad character class range \\d-z at offset 1"},
      {"[a-\\w]", "bad character class range a-\\w at offset 1"},
      {"[[:alpha:]]", "POSIX classes like [:alpha:] are not supported at offset 1"},
      {"a{1001}", "bad repetition count {1001} at offset 1 (at most 1000)"},
      {"a{1,99999999999999999999}", "bad repetition count {1,99999999999999999999} at offset 1 (at most 1000)"},
      {"a{3,2}", "bad repetition count {3,2} at offset 1 (min > max)"},
      {"(?=a)", "lookahead is not supported ((?= at offset 0)"},
      {"x(?!a)", "lookahead is not supported ((?! at offset 1)"},
      {"(?<=a)b", "lookbehind is not supported ((?<= at offset 0)"},
      {"(?<!a)b", "lookbehind is not supported ((?<! at offset 0)"},
      {"(?P<n>a)", "named groups are not supported (at offset 0); use (?:...)"},
      {"(?<n>a)", "named groups are not supported (at offset 0); use (?:...)"},
      {"a(?i)b", "(?i) is only supported at the start of the pattern (found at offset 1)"},
      {"(?s).", "unsupported group flag ((?s at offset 0); only (?:...) and a leading (?i) are supported"},
      {"(?", "unsupported group flag ((? at offset 0); only (?:...) and a leading (?i) are supported"},
      {"(a{1000}){1000}", "pattern too large (more than 4096 states)"},
      {"((a{1000}){1000}){1000}", "pattern too large (more than 4096 states)"},
      {"a{1000}a{1000}a{1000}a{1000}a{1000}", "pattern too large (more than 4096 states)"},
  };
  for (const auto& [pattern, expected] : errors) {
    EXPECT_EQ(compile_error(pattern), expected) << pattern;
  }
}

TEST(Regex, StateCapIsExact) {
  // a{4095} is 4095 byte states plus the match state: exactly the cap.
  std::string error;
  EXPECT_TRUE(Regex::compile("a{1000}a{1000}a{1000}a{1000}a{95}", error)) << error;
  EXPECT_EQ(compile_error("a{1000}a{1000}a{1000}a{1000}a{96}"), "pattern too large (more than 4096 states)");
}

TEST(Regex, PatternLengthIsCapped) {
  std::string error;
  EXPECT_TRUE(Regex::compile(std::string(Regex::kMaxPatternBytes, 'a'), error)) << error;
  EXPECT_EQ(compile_error(std::string(Regex::kMaxPatternBytes + 1, 'a')), "pattern too long (1025 bytes, at most 1024)");
}

TEST(Regex, NestingDepthIsCapped) {
  std::string error;
  EXPECT_TRUE(Regex::compile(std::string(100, '(') + "a" + std::string(100, ')'), error)) << error;
  EXPECT_EQ(compile_error(std::string(101, '(') + "a" + std::string(101, ')')),
            "groups nested too deeply (more than 100) at offset 100");
  // Far deeper than the cap: refused without recursing 500 levels.
  EXPECT_FALSE(compile_error(std::string(500, '(')).empty());
}

// The inputs that make a backtracking matcher take exponential time or overflow its stack.
TEST(Regex, PathologicalPatternsRunInLinearTime) {
  const std::string as(100'000, 'a');
  EXPECT_FALSE(search("(a+)+$", as + "!"));
  EXPECT_TRUE(search("(a+)+$", as));
  EXPECT_FALSE(search("(a|a)*b", as));
  EXPECT_FALSE(search("(a*)*b", as));
  EXPECT_FALSE(search("(a|aa)+$", as + "b"));
  EXPECT_FALSE(search("^(\\w+\\s?)*$", as + "!"));
  EXPECT_FALSE(search("(x+x+)+y", std::string(100'000, 'x')));
  EXPECT_FALSE(search("(a?){50}a{50}b", as));
}

TEST(Regex, LongTextDoesNotOverflowTheStack) {
  std::string text(1 << 20, 'y');
  EXPECT_FALSE(search(".*x", text));
  text.back() = 'x';
  EXPECT_TRUE(search(".*x", text));
  EXPECT_TRUE(search("^(y|z)*x$", text));
  EXPECT_FALSE(search("^(y|z)*$", text));
}

// Differential check against std::regex (ECMAScript) on small random patterns and texts, over
// the syntax where both agree: no \s, no literal '{', no (?i) (std::regex::icase instead), and
// texts without '\r' (ECMAScript's '.' excludes it).
class PatternGenerator {
 public:
  explicit PatternGenerator(unsigned seed) : rng_(seed) {}

  std::string pattern(int depth = 0) {
    std::string out = branch(depth);
    while (pick(5) == 0) out += "|" + branch(depth);
    return out;
  }

  std::string text() {
    static constexpr char kAlphabet[] = {'a', 'b', 'c', 'A', '1', '-', '\n', '_'};
    std::string out;
    for (int i = pick(9); i > 0; --i) out += kAlphabet[pick(sizeof kAlphabet)];
    return out;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string branch(int depth) {
    std::string out;
    if (pick(8) == 0) out += "^";
    for (int i = pick(4); i > 0; --i) out += piece(depth);
    if (pick(8) == 0) out += "$";
    return out;
  }

  std::string piece(int depth) {
    static const char* const kAtoms[] = {"a", "b", "c", "A", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w",
                                         "\\W", "[\\d_]", "-", "\\-", "\\n", "[^\\n]"};
    static const char* const kQuantifiers[] = {"", "", "", "*", "+", "?", "*?", "+?", "??", "{2}",
                                               "{0,2}", "{1,}", "{1,2}?", "{0}"};
    // libstdc++ backtracks: an unbounded loop around a group that can match empty can take it
    // minutes even on eight bytes, so groups get bounded quantifiers only. Nested unbounded
    // loops are covered by the tests above.
    static const char* const kGroupQuantifiers[] = {"", "", "?", "??", "{2}", "{0,2}"};
    if (depth < 3 && pick(5) == 0) {
      return (pick(2) ? "(" : "(?:") + pattern(depth + 1) + ")" +
             kGroupQuantifiers[pick(std::size(kGroupQuantifiers))];
    }
    return std::string(kAtoms[pick(std::size(kAtoms))]) + kQuantifiers[pick(std::size(kQuantifiers))];
  }

  std::mt19937 rng_;
};

TEST(Regex, AgreesWithStdRegexOnSmallInputs) {
  PatternGenerator gen(20261207);
  int compared = 0, matched = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string pattern = gen.pattern();
    const bool icase = i % 4 == 0;
    std::string error;
    const auto mine = Regex::compile(icase ? "(?i)" + pattern : pattern, error);
    ASSERT_TRUE(mine) << pattern << ": " << error;
    const std::regex oracle(pattern, icase ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript);
    for (int t = 0; t < 8; ++t) {
      const std::string text = gen.text();
      const bool expected = std::regex_search(text, oracle);
      ASSERT_EQ(mine->search(text), expected) << "pattern /" << pattern << "/ icase " << icase << " text \"" << text << "\"";
      ++compared;
      matched += expected;
    }
  }
  // The comparison is only worth something if both answers occur often.
  EXPECT_GT(matched, compared / 5);
  EXPECT_LT(matched, compared * 4 / 5);
}

}  // namespace
}  // namespace hookgate::filter
