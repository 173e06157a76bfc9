// hookgate: flag parsing only; every subcommand lives in gateway/commands.h.
#include <CLI/CLI.hpp>

#include "gateway/commands.h"

int main(int argc, char** argv) {
  using namespace hookgate::gateway;
  CLI::App app{"hookgate: a webhook receiving gateway (verify, store durably, deliver)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hookgate 0.1.0");

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Receive, verify and store webhooks");
  serve_cmd->add_option("-c,--config", serve.config_path, "Config file")->required();
  serve_cmd->add_option("--log-level", serve.log_level, "trace|debug|info|warn|error|off (overrides log.level)");

  std::string check_path;
  auto* check_cmd = app.add_subcommand("check-config", "Validate a config file: prints ok or every error");
  check_cmd->add_option("-c,--config", check_path, "Config file")->required();

  SignOptions sign;
  auto* sign_cmd = app.add_subcommand("sign", "Print the headers a source's vendor would send for a body");
  sign_cmd->add_option("-c,--config", sign.config_path, "Config file")->required();
  sign_cmd->add_option("--source", sign.source, "Source name from the config")->required();
  sign_cmd->add_option("--body", sign.body_path, "Body file ('-' or absent: stdin)");
  sign_cmd->add_option("--id", sign.id, "Delivery/message id to sign (default: generated)");
  sign_cmd->add_option("--timestamp", sign.timestamp, "Unix seconds to sign (default: now)");

  ReceiveOptions receive;
  auto* receive_cmd = app.add_subcommand("receive", "A stand-in destination that prints the webhooks it receives");
  receive_cmd->add_option("--listen", receive.listen, "IPv4 address and port")->capture_default_str();
  receive_cmd->add_option("--secret", receive.secret, "Check Standard Webhooks signatures with this whsec_ secret");
  receive_cmd->add_option("--status", receive.status, "Status to answer with")->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (*serve_cmd) return run_serve(serve);
  if (*check_cmd) return run_check_config(check_path);
  if (*sign_cmd) return run_sign(sign);
  if (*receive_cmd) return run_receive(receive);
  return 1;
}
