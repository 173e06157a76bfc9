// server: listeners and the limits every inbound connection lives under.
#include <utility>

#include "config/address.h"
#include "config/sections.h"
#include "config/values.h"

namespace hookgate::config::detail {
namespace {

// {cert, key}: both required, both paths resolved against the config file's directory.
std::optional<TlsCertificate> parse_certificate(const MapReader& map) {
  auto cert = map.require("cert");
  auto key = map.require("key");
  auto cert_path = cert ? cert->file_path() : std::nullopt;
  auto key_path = key ? key->file_path() : std::nullopt;
  if (!cert_path || !key_path) return std::nullopt;
  return TlsCertificate{std::move(*cert_path), std::move(*key_path)};
}

// tls: {cert, key, certificates: [{cert, key}, ...]}
std::optional<TlsFiles> parse_tls(const Value& value) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  auto default_certificate = parse_certificate(map);
  bool ok = default_certificate.has_value();
  TlsFiles files;
  if (auto more = map.get("certificates")) {
    for (const auto& item : more->items()) {
      MapReader entry(item);
      if (!entry.valid()) {
        ok = false;
        continue;
      }
      auto certificate = parse_certificate(entry);
      if (!certificate) {
        ok = false;
        continue;
      }
      files.certificates.push_back(std::move(*certificate));
    }
  }
  if (!ok) return std::nullopt;
  files.cert = std::move(default_certificate->cert);
  files.key = std::move(default_certificate->key);
  return files;
}

void parse_http2(const Value& section, const ServerConfig& server, Http2Config& out) {
  MapReader map(section);
  if (auto v = map.get("max_concurrent_streams")) {
    if (auto n = v->integer()) out.max_concurrent_streams = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("max_header_list_size")) {
    if (auto n = v->size()) out.max_header_list_size = static_cast<uint32_t>(*n);
  } else {
    out.max_header_list_size = server.max_header_bytes + 32 * server.max_headers;
  }
}

}  // namespace

std::optional<Listener> parse_listen_address_value(const Value& value) {
  auto text = value.quotable_text();
  if (!text) return std::nullopt;
  auto parsed = parse_listen_address(text->value);
  if (!parsed.value) {
    value.error("invalid address " + text->shown + ": " + parsed.error);
    return std::nullopt;
  }
  Listener listener;
  listener.host = std::move(parsed.value->host);
  listener.port = parsed.value->port;
  return listener;
}

std::optional<Listener> parse_listener(const Value& item) {
  // A plain string is the short form of {address: ...}.
  if (item.is_scalar()) return parse_listen_address_value(item);
  MapReader map(item);
  if (!map.valid()) return std::nullopt;
  auto address = map.require("address");
  if (!address) return std::nullopt;
  auto listener = parse_listen_address_value(*address);
  if (auto tls = map.get("tls")) {
    auto files = parse_tls(*tls);
    if (files && listener) listener->tls = std::move(*files);
  }
  return listener;
}

void parse_server(const Value& section, ServerConfig& out) {
  MapReader map(section);

  if (auto listen = map.get("listen")) {
    std::vector<Value> items;
    if (listen->is_scalar()) {
      items.push_back(*listen);  // "listen: 0.0.0.0:8080" = a list of one
    } else {
      items = listen->items();
      if (listen->is_list() && items.empty()) listen->error("at least one listener is required");
    }
    for (const auto& item : items) {
      auto listener = parse_listener(item);
      if (!listener) continue;
      for (std::size_t i = 0; i < out.listen.size(); ++i) {
        const auto& earlier = out.listen[i];
        if (listener->port != 0 && earlier.host == listener->host && earlier.port == listener->port) {
          item.error("same address as server.listen[" + std::to_string(i) + "]");
        }
      }
      out.listen.push_back(std::move(*listener));
    }
  } else {
    out.listen.push_back(Listener{"0.0.0.0", 8080, std::nullopt});
  }

  if (auto v = map.get("max_body")) {
    if (auto n = v->size()) out.max_body = *n;
  }
  if (auto v = map.get("max_header_bytes")) {
    if (auto n = v->size()) out.max_header_bytes = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("max_headers")) {
    if (auto n = v->integer()) out.max_headers = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("header_timeout")) {
    if (auto d = v->duration()) out.header_timeout = *d;
  }
  if (auto v = map.get("body_timeout")) {
    if (auto d = v->duration()) out.body_timeout = *d;
  }
  if (auto v = map.get("idle_timeout")) {
    if (auto d = v->duration()) out.idle_timeout = *d;
  }
  if (auto v = map.get("shutdown_grace")) {
    if (auto d = v->duration()) out.shutdown_grace = *d;
  }
  if (auto v = map.get("max_connections")) {
    if (auto n = v->integer()) out.max_connections = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("io_threads")) {
    if (auto n = v->integer()) out.io_threads = static_cast<uint32_t>(*n);
  }
  // Last: its default derives from max_header_bytes and max_headers.
  if (auto v = map.get("http2")) {
    parse_http2(*v, out, out.http2);
  } else {
    out.http2.max_header_list_size = out.max_header_bytes + 32 * out.max_headers;
  }
}

}  // namespace hookgate::config::detail
