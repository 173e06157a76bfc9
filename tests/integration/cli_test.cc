// The small commands as a user runs them: `hookgate receive` on IPv6, `hookgate sign` for
// Mailgun ids with reserved characters and its --timestamp range, `hookgate replay` at
// storage.max_size.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fcntl.h>
#include <regex>
#include <thread>

#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

// A long-running command with stdout and stderr in files; SIGKILLed when it goes.
class Background {
 public:
  Background(const TempDir& dir, std::vector<std::string> argv)
      : out_path_(dir.file("bg.out")), err_path_(dir.file("bg.err")) {
    pid_ = fork();
    if (pid_ == 0) {
      const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, 1);
      dup2(err, 2);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // Waits until stderr matches `pattern`; returns the first capture group ("" on timeout).
  std::string wait_for_stderr(const std::regex& pattern, milliseconds timeout = seconds(10)) const {
    const auto deadline = steady_clock::now() + timeout;
    std::smatch match;
    while (steady_clock::now() < deadline) {
      const std::string err = read_file(err_path_);
      if (std::regex_search(err, match, pattern)) return match[1];
      std::this_thread::sleep_for(milliseconds(20));
    }
    return "";
  }
  [[nodiscard]] std::string out() const { return read_file(out_path_); }
  [[nodiscard]] std::string err() const { return read_file(err_path_); }

 private:
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
};

TEST(ReceiveCommand, ListensOnAnIpv6AddressInBrackets) {
  TempDir dir;
  Background receive(dir, {binary_path(), "receive", "--listen", "[::1]:0"});
  const std::string port = receive.wait_for_stderr(std::regex(R"(receiving webhooks on http://\[::1\]:([0-9]+))"));
  ASSERT_FALSE(port.empty()) << receive.err();
  const CommandResult posted = run_command({"curl", "-sS", "-g", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                            "webhook-id: evt_over_ipv6", "--data-binary", "{}",
                                            "http://[::1]:" + port + "/hooks"});
  ASSERT_EQ(posted.exit_code, 0) << posted.err;
  EXPECT_EQ(posted.out, "200");
  for (int i = 0; i < 100 && receive.out().empty(); ++i) std::this_thread::sleep_for(milliseconds(20));
  EXPECT_NE(receive.out().find("POST /hooks webhook-id=evt_over_ipv6"), std::string::npos) << receive.out();
}

TEST(ReceiveCommand, ListenAddressMistakesSayWhatToWrite) {
  const CommandResult unbracketed = run_command({binary_path(), "receive", "--listen", "::1:9000"});
  EXPECT_EQ(unbracketed.exit_code, 2);
  EXPECT_NE(unbracketed.err.find("IPv6 addresses must be in brackets, e.g. [::1]:8080"), std::string::npos)
      << unbracketed.err;
  const CommandResult name = run_command({binary_path(), "receive", "--listen", "localhost:9000"});
  EXPECT_EQ(name.exit_code, 2);
  EXPECT_NE(name.err.find("host must be an IP address"), std::string::npos) << name.err;
  const CommandResult help = run_command({binary_path(), "receive", "--help"});
  EXPECT_NE(help.out.find("IPv6 in brackets: [::1]:9000"), std::string::npos) << help.out;
}

class SignCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(gateway_.start()); }

  CommandResult sign(std::vector<std::string> args) {
    args.insert(args.begin(), {binary_path(), "sign", "-c", gateway_.config_path()});
    return run_command(args);
  }

  TempDir dir_;
  Gateway gateway_{dir_, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  mailgun: {path: /in/mailgun, verify: {provider: mailgun, secrets: ["mailgun-signing-key"]}}
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_cli"], tolerance: 0}}
)"};
};

// Mailgun signs timestamp + token. In its legacy form body the token is a form field: an id
// with '&', '=', '+', '%' or a space must be percent-encoded there, or the verifier (and any
// form parser) reads another token than the one signed.
TEST_F(SignCommandTest, MailgunFormBodyPercentEncodesTheToken) {
  const std::string id = "tok&en=a+b c%25/";
  write_file(dir_.file("form.txt"), "event=delivered&recipient=alice%40example.com");
  const CommandResult signed_form =
      sign({"--source", "mailgun", "--body", dir_.file("form.txt"), "--id", id, "--signed-body", dir_.file("signed.txt")});
  ASSERT_EQ(signed_form.exit_code, 0) << signed_form.err;
  const std::string body = read_file(dir_.file("signed.txt"));
  EXPECT_NE(body.find("&token=tok%26en%3Da%2Bb%20c%2525%2F&"), std::string::npos) << body;

  HttpClient client(gateway_.port());
  const auto response =
      client.request("POST", "/in/mailgun", {{"Content-Type", "application/x-www-form-urlencoded"}}, body);
  EXPECT_EQ(response.status, 200) << response.body;

  // The JSON body carries the same id as a JSON string.
  write_file(dir_.file("event.json"), R"({"event-data":{"event":"delivered","id":"e1"}})");
  const CommandResult signed_json = sign({"--source", "mailgun", "--body", dir_.file("event.json"), "--id",
                                          "quote\"and\\slash", "--signed-body", dir_.file("signed.json")});
  ASSERT_EQ(signed_json.exit_code, 0) << signed_json.err;
  const auto json_response = client.request("POST", "/in/mailgun", {{"Content-Type", "application/json"}},
                                            read_file(dir_.file("signed.json")));
  EXPECT_EQ(json_response.status, 200) << json_response.body;
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE source = 'mailgun'"), 2);
  EXPECT_EQ(db.text("SELECT vendor_event_id FROM events WHERE " + as_text("body") + " LIKE '{%'"), "quote\"and\\slash");
}

TEST_F(SignCommandTest, TimestampOutsideTheClockIsRefusedNotWrapped) {
  write_file(dir_.file("event.json"), R"({"id":"evt_ts","type":"x"})");
  const auto with = [&](const std::string& timestamp) {
    return sign({"--source", "stripe", "--body", dir_.file("event.json"), "--timestamp", timestamp});
  };
  // The last second system_clock holds (2262-04-11) is signed as given.
  const CommandResult last = with("9223372036");
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_TRUE(std::regex_match(last.out, std::regex("Stripe-Signature: t=9223372036,v1=[0-9a-f]{64}\n"))) << last.out;
  for (const char* overflow : {"9223372037", "99999999999", "9223372036854775807", "18446744073709551616", "-1"}) {
    const CommandResult refused = with(overflow);
    EXPECT_EQ(refused.exit_code, 2) << overflow;
    EXPECT_EQ(refused.out, "") << overflow;
    EXPECT_EQ(refused.err, "--timestamp: " + std::string(overflow) + " is out of range (0 to 9223372036 unix seconds)\n");
  }
  for (const char* junk : {"", "12x", "1.5", "0x10", " 1"}) {
    const CommandResult refused = with(junk);
    EXPECT_EQ(refused.exit_code, 2) << junk;
    EXPECT_EQ(refused.err, "--timestamp: '" + std::string(junk) + "' is not a number of unix seconds\n");
  }
}

// At storage.max_size ingest answers 503; a replay, which would spend the reserve kept for
// deliveries under way, is refused the same way and changes nothing.
TEST(ReplayCommand, RefusedWhileTheStoreIsAtMaxSize) {
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db, max_size: 1MiB}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_full"]}}
destinations:
  nowhere: {url: "http://127.0.0.1:1/hooks", retry: {schedule: [1h]}}
routes:
  - {from: stripe, to: [nowhere]}
)");
  ASSERT_TRUE(gateway.start());
  const auto replay = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {binary_path(), "replay", "-c", gateway.config_path(), "--status", "all",
                                     "--limit", "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv);
  };
  HttpClient client(gateway.port());
  const std::string padding(20000, 'x');
  int stored = 0;
  bool full = false;
  for (int i = 0; i < 200 && !full; ++i) {
    const std::string body = R"({"id":"evt_full_)" + std::to_string(i) + R"(","pad":")" + padding + R"("})";
    const auto response = client.request("POST", "/in/stripe", sign_for(gateway.config_path(), "stripe", body, system_clock::now()), body);
    if (response.status == 200) {
      ++stored;
      if (stored == 1) {
        // Not full yet: a replay goes through.
        const CommandResult early = replay({"--event-id", "evt_full_0"});
        EXPECT_EQ(early.exit_code, 0) << early.err;
        EXPECT_NE(early.out.find("scheduled 1 deliveries"), std::string::npos) << early.out;
      }
    } else {
      ASSERT_EQ(response.status, 503) << response.body;
      full = true;
    }
  }
  ASSERT_TRUE(full) << "no 503 after 200 events of 20 KB: storage.max_size is not applied";
  ASSERT_GT(stored, 10);

  Database db(gateway.db_path());
  const auto before = db.rows("SELECT id, state, attempts, next_attempt_at FROM deliveries ORDER BY id");
  const CommandResult dry = replay({"--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("the store is at storage.max_size: a replay would be refused"), std::string::npos) << dry.out;
  const CommandResult refused = replay({});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(std::regex_search(refused.err,
                                std::regex(R"(^replay refused: the store is at storage\.max_size \([0-9]+ KiB in use, new work stops at [0-9]+ KiB\); nothing changed\.)")))
      << refused.err;
  EXPECT_EQ(refused.out.find("scheduled"), std::string::npos) << refused.out;
  EXPECT_EQ(db.rows("SELECT id, state, attempts, next_attempt_at FROM deliveries ORDER BY id"), before);
  const CommandResult deliver = replay({"--deliver"});
  EXPECT_EQ(deliver.exit_code, 1);
  EXPECT_NE(deliver.err.find("replay refused: the store is at storage.max_size"), std::string::npos) << deliver.err;
}

}  // namespace
}  // namespace hookgate::testing
