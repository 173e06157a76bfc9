// Design: the pattern is parsed into a small syntax tree, the tree is compiled into a Thompson
// NFA (a program of byte-set, split, jump, assertion and match instructions), and search()
// simulates that NFA Pike-style: the set of live states advances one text byte at a time, each
// state at most once per byte. The work is therefore O(states × text bytes) whatever the pattern
// — `(a+)+$`, `(a|a)*b` and `(a*)*b` cost what `a` costs — and nothing recurses over the text:
// the epsilon closure uses an explicit stack bounded by the number of states.
//
// Caps, all checked at compile time so that a search has a known cost:
//   - the pattern has at most kMaxPatternBytes bytes;
//   - groups nest at most kMaxNesting deep (the parser recurses once per group level);
//   - the program has at most kMaxStates instructions. Counted repeats are expanded into copies,
//     so the size of every subtree is computed first, with saturating arithmetic, and the
//     program is only emitted once the total is known to fit: (a{1000}){1000} costs no memory.
//
// Syntax decisions (RE2's where RE2 has one):
//   - `.` matches any byte but '\n'; ^ and $ are the start and end of the whole text (no
//     multi-line mode; $ does not match before a final '\n'); \A and \z are accepted as synonyms.
//   - \s is [\t\n\f\r ] (RE2's, without \v); \d is [0-9]; \w is [0-9A-Za-z_]; \xHH is a byte.
//   - `{` that does not start a well-formed {n}, {n,} or {n,m} is a literal, as in RE2 (`a{`,
//     `a{,3}`, `x{y}`); a well-formed one with a count above 1000 or n > m is an error.
//   - a quantifier directly after another one (`a**`, `a{2}{3}`; the lazy `?` aside) is an
//     error, as in RE2: write a group. A bare anchor cannot be repeated (`^*`); a group
//     holding one can (`($)*`).
//   - (?i) is accepted only at the very start; it folds ASCII letters for the whole pattern.
//   - Refused, with the offset: backreferences, \b \B, lookaround, named groups, other flags,
//     POSIX classes ([:alpha:]), and unknown letter escapes.
//   - Bytes, not code points: a UTF-8 character in a pattern is a sequence of literal bytes.
#include "filter/regex.h"

#include <bitset>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

namespace hookgate::filter {
namespace {

constexpr int kMaxNesting = 100;
constexpr int kMaxRepeat = 1000;
// Subtree sizes saturate here: anything larger is "too large" and need not be exact.
constexpr std::uint64_t kSizeCap = Regex::kMaxStates + 1;

using ByteSet = std::bitset<256>;

std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) { return a + b > kSizeCap ? kSizeCap : a + b; }
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) { return a * b > kSizeCap ? kSizeCap : a * b; }

// --- Syntax tree ------------------------------------------------------------------------------

enum class NodeKind { empty, bytes, begin, end, concat, alternate, repeat };

struct Node {
  NodeKind kind = NodeKind::empty;
  ByteSet set;                     // bytes
  std::vector<std::size_t> kids;   // concat, alternate; repeat has one
  int min = 0, max = 0;            // repeat; max < 0 means unbounded
  std::uint64_t size = 0;          // instructions it compiles to, saturated at kSizeCap
};

ByteSet range_set(unsigned lo, unsigned hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

ByteSet digit_set() { return range_set('0', '9'); }
ByteSet word_set() { return digit_set() | range_set('A', 'Z') | range_set('a', 'z') | range_set('_', '_'); }
ByteSet space_set() {
  ByteSet s;
  for (unsigned char c : {'\t', '\n', '\f', '\r', ' '}) s.set(c);
  return s;
}

void fold_case(ByteSet& s) {
  for (unsigned c = 'a'; c <= 'z'; ++c) {
    if (s[c] || s[c - 32]) s.set(c).set(c - 32);
  }
}

std::string show_byte(unsigned char c) {
  if (c > 0x20 && c < 0x7f) return std::string(1, static_cast<char>(c));
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", c);
  return buf;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// --- Parser -----------------------------------------------------------------------------------

// What one escape sequence means: a byte, a set of bytes, or an assertion.
struct Escape {
  enum Kind { byte, set, begin, end } kind = byte;
  unsigned char value = 0;
  ByteSet bytes;
};

class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  // The root node, or nullopt with error() set.
  std::optional<std::size_t> parse() {
    if (p_.starts_with("(?i)")) {
      icase_ = true;
      pos_ = 4;
    }
    const std::optional<std::size_t> root = parse_alternate(0);
    if (!root) return std::nullopt;
    if (pos_ < p_.size()) return fail("unbalanced ')' at offset " + std::to_string(pos_));
    return root;
  }

  std::vector<Node>& nodes() { return nodes_; }
  const std::string& error() const { return error_; }

 private:
  std::nullopt_t fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return std::nullopt;
  }
  static std::string at(std::size_t offset) { return " at offset " + std::to_string(offset); }

  std::size_t add(Node node) {
    nodes_.push_back(std::move(node));
    return nodes_.size() - 1;
  }
  std::size_t add_bytes(ByteSet set) {
    if (icase_) fold_case(set);
    Node n;
    n.kind = NodeKind::bytes;
    n.set = set;
    n.size = 1;
    return add(std::move(n));
  }
  std::size_t add_assert(NodeKind kind) {
    Node n;
    n.kind = kind;
    n.size = 1;
    return add(std::move(n));
  }

  bool more() const { return pos_ < p_.size(); }
  char peek() const { return p_[pos_]; }

  // alternate := concat ('|' concat)*
  std::optional<std::size_t> parse_alternate(int depth) {
    Node alt;
    alt.kind = NodeKind::alternate;
    for (;;) {
      const std::optional<std::size_t> branch = parse_concat(depth);
      if (!branch) return std::nullopt;
      alt.kids.push_back(*branch);
      if (!more() || peek() != '|') break;
      ++pos_;
    }
    if (alt.kids.size() == 1) return alt.kids[0];
    // Each branch but the last: a split before it and a jump after it.
    alt.size = 2 * (alt.kids.size() - 1);
    for (std::size_t k : alt.kids) alt.size = add_sat(alt.size, nodes_[k].size);
    return add(std::move(alt));
  }

  // concat := (atom quantifier?)*, up to '|', ')' or the end.
  std::optional<std::size_t> parse_concat(int depth) {
    Node cat;
    cat.kind = NodeKind::concat;
    while (more() && peek() != '|' && peek() != ')') {
      const bool group = peek() == '(';
      std::optional<std::size_t> atom = parse_atom(depth);
      if (!atom) return std::nullopt;
      atom = parse_quantifiers(*atom, group);
      if (!atom) return std::nullopt;
      cat.kids.push_back(*atom);
    }
    if (cat.kids.size() == 1) return cat.kids[0];
    for (std::size_t k : cat.kids) cat.size = add_sat(cat.size, nodes_[k].size);
    return add(std::move(cat));
  }

  std::optional<std::size_t> parse_atom(int depth) {
    const std::size_t start = pos_;
    const char c = peek();
    switch (c) {
      case '(':
        return parse_group(depth);
      case '[':
        return parse_class();
      case '.':
        ++pos_;
        return add_bytes(~range_set('\n', '\n'));
      case '^':
        ++pos_;
        return add_assert(NodeKind::begin);
      case '$':
        ++pos_;
        return add_assert(NodeKind::end);
      case '*':
      case '+':
      case '?':
        return fail("nothing to repeat" + at(start));
      case '{':
        if (repeat_spec_at(pos_)) return fail("nothing to repeat" + at(start));
        ++pos_;
        return add_bytes(range_set('{', '{'));
      case '\\': {
        std::optional<Escape> e = parse_escape(false);
        if (!e) return std::nullopt;
        if (e->kind == Escape::begin) return add_assert(NodeKind::begin);
        if (e->kind == Escape::end) return add_assert(NodeKind::end);
        if (e->kind == Escape::set) return add_bytes(e->bytes);
        return add_bytes(range_set(e->value, e->value));
      }
      default:
        ++pos_;
        return add_bytes(range_set(static_cast<unsigned char>(c), static_cast<unsigned char>(c)));
    }
  }

  std::optional<std::size_t> parse_group(int depth) {
    const std::size_t open = pos_;
    if (depth >= kMaxNesting) {
      return fail("groups nested too deeply (more than " + std::to_string(kMaxNesting) + ")" + at(open));
    }
    ++pos_;
    if (more() && peek() == '?') {
      const std::string_view rest = p_.substr(pos_);
      if (rest.starts_with("?:")) {
        pos_ += 2;
      } else if (rest.starts_with("?=") || rest.starts_with("?!")) {
        return fail("lookahead is not supported (" + std::string(p_.substr(open, 3)) + at(open) + ")");
      } else if (rest.starts_with("?<=") || rest.starts_with("?<!")) {
        return fail("lookbehind is not supported (" + std::string(p_.substr(open, 4)) + at(open) + ")");
      } else if (rest.starts_with("?P") || rest.starts_with("?<") || rest.starts_with("?'")) {
        return fail("named groups are not supported (at offset " + std::to_string(open) + "); use (?:...)");
      } else if (rest.starts_with("?i)")) {
        return fail("(?i) is only supported at the start of the pattern (found at offset " + std::to_string(open) + ")");
      } else {
        return fail("unsupported group flag (" + std::string(p_.substr(open, 3)) + at(open) +
                    "); only (?:...) and a leading (?i) are supported");
      }
    }
    const std::optional<std::size_t> inner = parse_alternate(depth + 1);
    if (!inner) return std::nullopt;
    if (!more()) return fail("missing ')' for '('" + at(open));
    ++pos_;  // ')'
    return inner;
  }

  // Whether a well-formed {n}, {n,} or {n,m} starts at `i` (counts unchecked); RE2 reads any
  // other '{' as a literal.
  bool repeat_spec_at(std::size_t i) const {
    auto digits = [&](std::size_t& j) {
      const std::size_t from = j;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') ++j;
      return j > from;
    };
    if (i >= p_.size() || p_[i] != '{') return false;
    std::size_t j = i + 1;
    if (!digits(j)) return false;
    if (j < p_.size() && p_[j] == ',') {
      ++j;
      digits(j);
    }
    return j < p_.size() && p_[j] == '}';
  }

  bool quantifier_at(std::size_t i) const {
    return i < p_.size() && (p_[i] == '*' || p_[i] == '+' || p_[i] == '?' || repeat_spec_at(i));
  }

  // Reads a decimal count, saturating so that a long digit string cannot overflow.
  int read_count() {
    long value = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      value = std::min<long>(value * 10 + (peek() - '0'), kMaxRepeat + 1);
      ++pos_;
    }
    return static_cast<int>(value);
  }

  std::optional<std::size_t> parse_quantifiers(std::size_t atom, bool group) {
    if (!quantifier_at(pos_)) return atom;
    const std::size_t q = pos_;
    // A bare anchor cannot be repeated (as in ECMAScript); a group holding one, `($)*`, can.
    const NodeKind kind = nodes_[atom].kind;
    if (!group && (kind == NodeKind::begin || kind == NodeKind::end)) return fail("nothing to repeat" + at(q));
    int min = 0, max = -1;
    switch (peek()) {
      case '*': ++pos_; break;
      case '+': ++pos_; min = 1; break;
      case '?': ++pos_; max = 1; break;
      default: {  // '{'
        ++pos_;
        min = max = read_count();
        if (peek() == ',') {
          ++pos_;
          max = more() && peek() == '}' ? -1 : read_count();
        }
        ++pos_;  // '}'
        if (min > kMaxRepeat || max > kMaxRepeat) {
          return fail("bad repetition count " + std::string(p_.substr(q, pos_ - q)) + at(q) +
                      " (at most " + std::to_string(kMaxRepeat) + ")");
        }
        if (max >= 0 && min > max) {
          return fail("bad repetition count " + std::string(p_.substr(q, pos_ - q)) + at(q) + " (min > max)");
        }
      }
    }
    if (more() && peek() == '?') ++pos_;  // lazy: the same yes/no answer
    if (quantifier_at(pos_)) return fail("quantifier follows a quantifier" + at(pos_) + "; use a group");

    Node rep;
    rep.kind = NodeKind::repeat;
    rep.kids.push_back(atom);
    rep.min = min;
    rep.max = max;
    const std::uint64_t s = nodes_[atom].size;
    if (max < 0) {
      // x* is split, x, jump; x{n,} is n-1 copies then x+ (x, split).
      rep.size = min == 0 ? add_sat(s, 2) : add_sat(mul_sat(s, static_cast<std::uint64_t>(min)), 1);
    } else {
      // x{n,m}: n copies, then m-n optional copies of a split and x each.
      rep.size = add_sat(mul_sat(s, static_cast<std::uint64_t>(min)),
                         mul_sat(add_sat(s, 1), static_cast<std::uint64_t>(max - min)));
    }
    return add(std::move(rep));
  }

  // An escape at pos_ ('\\'). Inside a class only bytes and sets are allowed.
  std::optional<Escape> parse_escape(bool in_class) {
    const std::size_t start = pos_;
    ++pos_;
    if (!more()) return fail("trailing backslash" + at(start));
    const unsigned char c = static_cast<unsigned char>(peek());
    ++pos_;
    Escape e;
    auto set = [&](ByteSet s) {
      e.kind = Escape::set;
      e.bytes = s;
      return e;
    };
    auto byte = [&](unsigned char b) {
      e.value = b;
      return e;
    };
    switch (c) {
      case 'd': return set(digit_set());
      case 'D': return set(~digit_set());
      case 'w': return set(word_set());
      case 'W': return set(~word_set());
      case 's': return set(space_set());
      case 'S': return set(~space_set());
      case 't': return byte('\t');
      case 'n': return byte('\n');
      case 'r': return byte('\r');
      case 'f': return byte('\f');
      case 'v': return byte('\v');
      case 'x': {
        if (pos_ + 1 < p_.size() && hex_value(p_[pos_]) >= 0 && hex_value(p_[pos_ + 1]) >= 0) {
          const int v = hex_value(p_[pos_]) * 16 + hex_value(p_[pos_ + 1]);
          pos_ += 2;
          return byte(static_cast<unsigned char>(v));
        }
        return fail("bad \\x escape" + at(start) + " (want two hex digits, \\xHH)");
      }
      case 'A':
      case 'z':
        if (in_class) break;
        e.kind = c == 'A' ? Escape::begin : Escape::end;
        return e;
      case 'b':
      case 'B':
        return fail(std::string("word boundaries are not supported (\\") + static_cast<char>(c) + at(start) + ")");
      default:
        if (c >= '1' && c <= '9') {
          return fail(std::string("backreferences are not supported (\\") + static_cast<char>(c) + at(start) + ")");
        }
        // Any escaped ASCII punctuation (or other non-word byte) stands for itself.
        const bool word = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        if (c < 0x80 && !word) return byte(c);
    }
    return fail("unknown escape \\" + show_byte(c) + at(start));
  }

  // [...] or [^...]; a ']' first is a literal, as is a '-' first or last.
  std::optional<std::size_t> parse_class() {
    const std::size_t open = pos_;
    ++pos_;
    const bool negate = more() && peek() == '^';
    if (negate) ++pos_;
    ByteSet set;
    for (bool first = true;; first = false) {
      if (!more()) return fail("missing ']' for '['" + at(open));
      if (peek() == ']' && !first) {
        ++pos_;
        break;
      }
      if (posix_class_at(pos_)) return fail("POSIX classes like [:alpha:] are not supported" + at(pos_));
      const std::size_t item = pos_;
      std::optional<Escape> lo = parse_class_atom();
      if (!lo) return std::nullopt;
      const bool range = more() && peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']';
      if (!range) {
        if (lo->kind == Escape::set) set |= lo->bytes;
        else set.set(lo->value);
        continue;
      }
      ++pos_;  // '-'
      std::optional<Escape> hi = parse_class_atom();
      if (!hi) return std::nullopt;
      if (lo->kind == Escape::set || hi->kind == Escape::set || hi->value < lo->value) {
        return fail("bad character class range " + std::string(p_.substr(item, pos_ - item)) + at(item));
      }
      set |= range_set(lo->value, hi->value);
    }
    // Fold before negating, so that (?i)[^a] excludes both 'a' and 'A'.
    if (icase_) fold_case(set);
    return add_bytes(negate ? ~set : set);
  }

  std::optional<Escape> parse_class_atom() {
    if (peek() == '\\') return parse_escape(true);
    Escape e;
    e.value = static_cast<unsigned char>(peek());
    ++pos_;
    return e;
  }

  // "[:name:]" inside a class: RE2 reads it as a POSIX class; refuse rather than read it as
  // the set of its letters.
  bool posix_class_at(std::size_t i) const {
    if (i + 1 >= p_.size() || p_[i] != '[' || p_[i + 1] != ':') return false;
    std::size_t j = i + 2;
    if (j < p_.size() && p_[j] == '^') ++j;
    const std::size_t letters = j;
    while (j < p_.size() && ((p_[j] >= 'a' && p_[j] <= 'z') || (p_[j] >= 'A' && p_[j] <= 'Z'))) ++j;
    return j > letters && j + 1 < p_.size() && p_[j] == ':' && p_[j + 1] == ']';
  }

  std::string_view p_;
  std::size_t pos_ = 0;
  bool icase_ = false;
  std::vector<Node> nodes_;
  std::string error_;
};

// --- Program ----------------------------------------------------------------------------------

enum class Op : std::uint8_t { bytes, split, jump, begin, end, match };

struct Inst {
  Op op = Op::match;
  std::uint32_t x = 0;  // split, jump: a target; bytes: index into Program::sets
  std::uint32_t y = 0;  // split: the other target
};

// The instructions and the byte sets they test.
struct Code {
  std::vector<Inst> insts;
  std::vector<ByteSet> sets;
};

// Emits the tree into a program; the caller has checked that it fits. Recurses over the tree,
// whose depth is bounded by the group nesting cap.
class Emitter {
 public:
  Emitter(const std::vector<Node>& nodes, Code& out) : nodes_(nodes), out_(out) {}

  void emit(std::size_t index) {
    const Node& n = nodes_[index];
    switch (n.kind) {
      case NodeKind::empty:
        return;
      case NodeKind::bytes:
        out_.sets.push_back(n.set);
        put(Op::bytes, static_cast<std::uint32_t>(out_.sets.size() - 1));
        return;
      case NodeKind::begin:
        put(Op::begin);
        return;
      case NodeKind::end:
        put(Op::end);
        return;
      case NodeKind::concat:
        for (std::size_t k : n.kids) emit(k);
        return;
      case NodeKind::alternate: {
        std::vector<std::size_t> jumps;
        for (std::size_t i = 0; i + 1 < n.kids.size(); ++i) {
          const std::size_t split = put(Op::split, here() + 1);
          emit(n.kids[i]);
          jumps.push_back(put(Op::jump));
          out_.insts[split].y = here();
        }
        emit(n.kids.back());
        for (std::size_t j : jumps) out_.insts[j].x = here();
        return;
      }
      case NodeKind::repeat:
        emit_repeat(n);
        return;
    }
  }

  void finish() { put(Op::match); }

 private:
  std::uint32_t here() const { return static_cast<std::uint32_t>(out_.insts.size()); }
  std::size_t put(Op op, std::uint32_t x = 0, std::uint32_t y = 0) {
    out_.insts.push_back(Inst{op, x, y});
    return out_.insts.size() - 1;
  }

  void emit_repeat(const Node& n) {
    const std::size_t body = n.kids[0];
    if (n.max < 0) {
      if (n.min == 0) {  // L: split L+1, out; body; jump L; out:
        const std::size_t split = put(Op::split, here() + 1);
        emit(body);
        put(Op::jump, static_cast<std::uint32_t>(split));
        out_.insts[split].y = here();
        return;
      }
      for (int i = 0; i + 1 < n.min; ++i) emit(body);
      const std::uint32_t loop = here();  // L: body; split L, out
      emit(body);
      put(Op::split, loop, here() + 1);
      return;
    }
    for (int i = 0; i < n.min; ++i) emit(body);
    // Each optional copy may skip to the end: once one is skipped, so are the rest.
    std::vector<std::size_t> splits;
    for (int i = n.min; i < n.max; ++i) {
      splits.push_back(put(Op::split, here() + 1));
      emit(body);
    }
    for (std::size_t s : splits) out_.insts[s].y = here();
  }

  const std::vector<Node>& nodes_;
  Code& out_;
};

}  // namespace

struct Regex::Program {
  Code code;
  bool anchored = false;  // the first instruction is ^: only position 0 can start a match
};

std::optional<Regex> Regex::compile(std::string_view pattern, std::string& error) {
  error.clear();
  if (pattern.size() > kMaxPatternBytes) {
    error = "pattern too long (" + std::to_string(pattern.size()) + " bytes, at most " +
            std::to_string(kMaxPatternBytes) + ")";
    return std::nullopt;
  }
  Parser parser(pattern);
  const std::optional<std::size_t> root = parser.parse();
  if (!root) {
    error = parser.error();
    return std::nullopt;
  }
  // One more instruction for the final match.
  if (add_sat(parser.nodes()[*root].size, 1) > kMaxStates) {
    error = "pattern too large (more than " + std::to_string(kMaxStates) + " states)";
    return std::nullopt;
  }
  auto program = std::make_shared<Program>();
  program->code.insts.reserve(parser.nodes()[*root].size + 1);
  Emitter emitter(parser.nodes(), program->code);
  emitter.emit(*root);
  emitter.finish();
  // The sizes checked above must be the sizes emitted, or the cap means nothing.
  if (program->code.insts.size() != parser.nodes()[*root].size + 1) std::abort();
  program->anchored = program->code.insts.front().op == Op::begin;

  Regex regex;
  regex.pattern_ = std::string(pattern);
  regex.program_ = std::move(program);
  return regex;
}

bool Regex::search(std::string_view text) const {
  // A default-constructed Regex was never compiled: it matches nothing.
  if (!program_) return false;
  const Code& prog = program_->code;
  const bool anchored = program_->anchored;
  const std::size_t n = text.size();

  std::vector<std::uint64_t> mark(prog.insts.size(), 0);
  std::vector<std::uint32_t> stack;
  stack.reserve(prog.insts.size());
  // The live byte-reading states at this position and the next. A state is added at most once
  // per position: mark[pc] holds the generation (position + 1) that last added it.
  std::vector<std::uint32_t> current, next;
  current.reserve(prog.insts.size());
  next.reserve(prog.insts.size());
  std::uint64_t generation = 0;

  // Adds `pc` and every state reachable from it without reading a byte, at text position
  // `pos`, to `list`; true as soon as the match state is reached.
  auto add = [&](std::vector<std::uint32_t>& list, std::uint32_t start, std::size_t pos) {
    auto push = [&](std::uint32_t pc) {
      if (mark[pc] == generation) return;
      mark[pc] = generation;
      stack.push_back(pc);
    };
    push(start);
    while (!stack.empty()) {
      const std::uint32_t pc = stack.back();
      stack.pop_back();
      const Inst& inst = prog.insts[pc];
      switch (inst.op) {
        case Op::bytes: list.push_back(pc); break;
        case Op::split: push(inst.y); push(inst.x); break;
        case Op::jump: push(inst.x); break;
        case Op::begin: if (pos == 0) push(pc + 1); break;
        case Op::end: if (pos == n) push(pc + 1); break;
        case Op::match: stack.clear(); return true;
      }
    }
    return false;
  };

  ++generation;
  if (add(current, 0, 0)) return true;
  for (std::size_t pos = 0; pos < n; ++pos) {
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    ++generation;
    next.clear();
    for (std::uint32_t pc : current) {
      if (prog.sets[prog.insts[pc].x][byte] && add(next, pc + 1, pos + 1)) return true;
    }
    // Unanchored: a match may also start at the next position.
    if (!anchored && add(next, 0, pos + 1)) return true;
    if (next.empty() && anchored) return false;
    std::swap(current, next);
  }
  return false;
}

}  // namespace hookgate::filter
