// The committed JSON Schema (docs/config.schema.json) against the example configs, read the
// way a YAML language server reads them (the `yaml` package, YAML 1.2) and checked by an
// independent draft 2020-12 validator (Ajv, strict). Run by ctest as
// contracts.config_schema_examples; not part of the vendor SDK run (no .test. in its name).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const schema = JSON.parse(readFileSync(join(root, "docs", "config.schema.json"), "utf8"));
// Strict, but for two deliberate forms: union types ("integer" or "string" for 15 and "15s"),
// and "exactly one of" written as oneOf: [{required: [path]}, {required: [url]}], whose
// branches name properties declared beside them rather than inside.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, strictRequired: false, allErrors: true });
const validate = ajv.compile(schema);

const examples = readdirSync(join(root, "examples")).filter((name) => name.endsWith(".yaml"));
const explain = () => JSON.stringify(validate.errors, null, 2);

test("there are example configs to check", () => {
  assert.ok(examples.length >= 2, `examples: ${examples}`);
});

for (const name of examples) {
  const text = readFileSync(join(root, "examples", name), "utf8");
  test(`examples/${name} names the schema for language servers`, () => {
    assert.match(text.split("\n")[0], /^# yaml-language-server: \$schema=\.\.\/docs\/config\.schema\.json$/);
  });
  test(`examples/${name} is valid against docs/config.schema.json`, () => {
    assert.ok(validate(parse(text)), explain());
  });
}

// The schema refuses what hookgate refuses, so the checks above can fail.
const base = () => parse(readFileSync(join(root, "examples", "hookgate.yaml"), "utf8"));
const refusals = {
  "an unknown key": (c) => { c.destinations[Object.keys(c.destinations)[0]].retires = 3; },
  "a number out of range": (c) => { c.destinations[Object.keys(c.destinations)[0]].concurrency = 0; },
  "a duration without a known unit": (c) => { c.server = { ...c.server, idle_timeout: "5 minutes" }; },
  "an unknown provider": (c) => { c.sources[Object.keys(c.sources)[0]].verify = { provider: "strpe" }; },
  "storage with both path and url": (c) => { c.storage.url = "postgresql://h/db"; },
  "a missing required key": (c) => { delete c.destinations[Object.keys(c.destinations)[0]].url; },
  "a bad source name": (c) => { c.sources["Has Spaces"] = { path: "/in/x", verify: "none" }; },
  "an unknown filter operator": (c) => { c.routes.find((r) => r.filter?.body).filter.body.livemode = { $eqq: true }; },
};
for (const [what, spoil] of Object.entries(refusals)) {
  test(`the schema refuses ${what}`, () => {
    const config = base();
    assert.ok(validate(config), explain());
    spoil(config);
    assert.equal(validate(config), false);
  });
}

test("${NAME} may stand for any scalar", () => {
  const config = base();
  const destination = config.destinations[Object.keys(config.destinations)[0]];
  destination.concurrency = "${CONCURRENCY}";
  destination.ordering = "${ORDERING}";
  assert.ok(validate(config), explain());
});
