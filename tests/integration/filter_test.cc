// Route filters end to end: one config whose routes each use another operator, each to a
// destination of its own (paths of one fake server); three events posted with different
// bodies, headers and query strings; each destination must get exactly the events its filter
// takes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using Received = std::map<std::string, std::vector<std::string>>;  // destination path → event ids

// route name → filter (flow YAML); each route goes to the destination of the same name.
const std::vector<std::pair<std::string, std::string>> kRoutes = {
    {"eq", "{body: {currency: USD}}"},
    {"neq", "{body: {currency: {$neq: USD}}}"},
    {"in", "{body: {currency: {$in: [EUR, GBP]}}}"},
    {"nin", "{body: {currency: {$nin: [USD, EUR]}}}"},
    {"exist", "{body: {coupon: {$exist: true}}}"},
    {"starts", "{body: {email: {$startsWith: ann}}}"},
    {"ends", "{body: {email: {$endsWith: '@example.com'}}}"},
    {"contains", "{body: {tags: {$contains: vip}}}"},
    {"gt", "{body: {total: {$gt: 100}}}"},
    {"gte", "{body: {total: {$gte: 100}}}"},
    {"lt", "{body: {total: {$lt: 100}}}"},
    {"lte", "{body: {total: {$lte: 100}}}"},
    {"regex", "{body: {sku: {$regex: '^[A-Z]{2}-[0-9]+$'}}}"},
    {"logic", "{body: {$or: [{currency: GBP}, {$and: [{total: {$gte: 100}}, {$not: {test: true}}]}]}}"},
    {"headers", "{headers: {x-shop-domain: {$endsWith: .myshopify.com}}}"},
    {"query", "{query: {env: {$neq: test}}, $not: {headers: {x-skip: '1'}}}"},
    {"legacy", "{event_type: 'orders/*', body: [{pointer: /currency, in: [EUR, GBP]}]}"},
};

TEST(Filters, EachOperatorDecidesWhichDestinationsGetAnEvent) {
  FakeDestination server;
  std::string destinations, routes;
  for (const auto& [name, filter] : kRoutes) {
    destinations += "  " + name + ": {url: \"" + server.url("/" + name) + "\"}\n";
    routes += "  - {from: shop, to: " + name + ", filter: " + filter + "}\n";
  }
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  shop: {path: /in/shop, verify: none, event_type: {json: /type}}
destinations:
)" + destinations + "routes:\n" + routes);
  ASSERT_TRUE(gateway.start());

  struct Post {
    std::string target;
    Headers headers;
    std::string body;
  };
  const std::vector<Post> posts = {
      {"/in/shop?env=prod", {{"X-Shop-Domain", "acme.myshopify.com"}},
       R"({"id":"e1","type":"orders/create","total":150,"currency":"USD","email":"ann@example.com",)"
       R"("tags":["vip","new"],"sku":"AB-123","test":false})"},
      {"/in/shop?env=test&x=%20", {{"X-Shop-Domain", "evil.example"}},
       R"({"id":"e2","type":"customers/create","total":"99.5","currency":"GBP","email":"bob@example.org",)"
       R"("tags":["new"],"sku":"zz","coupon":"X"})"},
      {"/in/shop", {},
       R"({"id":"e3","type":"orders/paid","total":100.0,"currency":"EUR","email":"cy@example.com","tags":"vip",)"
       R"("sku":"CD-9","test":true})"},
      // Refused by the query route's $not; with no currency, $neq and $nin hold (a missing field).
      {"/in/shop?env=prod", {{"X-Skip", "1"}}, R"({"id":"e4","type":"none"})"},
  };
  HttpClient client(gateway.port());
  for (const Post& post : posts) {
    Headers headers = post.headers;
    headers.emplace_back("Content-Type", "application/json");
    EXPECT_EQ(client.request("POST", post.target, headers, post.body).status, 200) << post.body;
  }

  const Received expected = {
      {"/eq", {"e1"}},        {"/neq", {"e2", "e3", "e4"}},      {"/in", {"e2", "e3"}},      {"/nin", {"e2", "e4"}},
      {"/exist", {"e2"}},     {"/starts", {"e1"}},         {"/ends", {"e1", "e3"}},    {"/contains", {"e1", "e3"}},
      {"/gt", {"e1"}},        {"/gte", {"e1", "e3"}},      {"/lt", {"e2"}},            {"/lte", {"e2", "e3"}},
      {"/regex", {"e1", "e3"}}, {"/logic", {"e1", "e2"}},  {"/headers", {"e1"}},       {"/query", {"e1", "e3"}},
      {"/legacy", {"e3"}},
  };
  size_t total = 0;
  for (const auto& [path, ids] : expected) total += ids.size();
  ASSERT_TRUE(server.wait_for(total));
  // Deliveries are decided at ingest: once every POST is acked, no other one can appear.
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM deliveries"), static_cast<int64_t>(total));

  Received got;
  for (const ReceivedRequest& request : server.received()) {
    const size_t at = request.body.find(R"("id":")");
    got[request.target].push_back(at == std::string::npos ? "?" : request.body.substr(at + 6, 2));
  }
  for (auto& [path, ids] : got) std::sort(ids.begin(), ids.end());
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace hookgate::testing
