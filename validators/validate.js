// The platforms' own validators behind one long-lived process, for the test suite.
//
// One JSON request per line on stdin, one JSON answer per line on stdout:
//   {"kind": "cards", "cards": [...], "maxActions": 6}  -> {"errors": [[...], ...]} (one list a card)
//   {"kind": "teams-manifest", "manifest": {...}}       -> {"errors": [...]}
//   {"kind": "slack", "manifest": {...}|null, "payloads": [{"name", "type", "value"}]}
//                                                       -> {"errors": {"<name>": [...]}}
//   {"kind": "slack-source", "payloads": [...]}         -> {"errors": "<the TypeScript checked>"}
// Nothing here reaches the network: the Teams schema is the copy in @microsoft/app-manifest.
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");
const AC = require("adaptivecards/dist/adaptivecards.js");
const { TeamsManifestConverter, AppManifestUtils } = require("@microsoft/app-manifest");
const ts = require("typescript");

// --- Adaptive Cards ------------------------------------------------------------------------

function cardErrors(json, maxActions) {
  const errors = [];
  if (!json || json.type !== "AdaptiveCard") errors.push('MissingCardType: type must be "AdaptiveCard"');
  if (!json || typeof json.version !== "string") errors.push("UnsupportedCardVersion: no version");
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig({ actions: { maxActions } });
  const context = new AC.SerializationContext();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    errors.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) {
    errors.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  return errors;
}

// --- Teams manifest ------------------------------------------------------------------------

async function teamsManifestErrors(manifest) {
  const version = manifest.manifestVersion;
  const schemaPath = path.join(
    path.dirname(require.resolve("@microsoft/app-manifest")),
    "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json",
  );
  if (!fs.existsSync(schemaPath)) return [`no schema for manifestVersion ${JSON.stringify(version)}`];
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8").replace(/^\uFEFF/, ""));
  let typed;
  try {
    typed = TeamsManifestConverter.jsonToManifest(JSON.stringify(manifest)); // its runtime type check
  } catch (err) {
    return [String(err.message)];
  }
  return AppManifestUtils.validateAgainstSchema(typed, schema);
}

// --- Slack: the manifest and Block Kit payloads type-checked with tsc ------------------------

const SLACK_TYPES = {
  manifest: "Manifest",
  message: "Message",
  view: "View",
  options: "Options",
};
const PRELUDE = [
  'import type { AppsManifestCreateArguments } from "@slack/web-api";',
  'import type { KnownBlock, PlainTextOption, View } from "@slack/types";',
  'type Manifest = AppsManifestCreateArguments["manifest"];',
  "type Message = { text: string; blocks: KnownBlock[]; response_type?: string; replace_original?: boolean };",
  "type Options = { options: PlainTextOption[] };",
  "",
];
const FILE = path.join(__dirname, "slack_payloads.ts");
let sourceText = "";
let sourceVersion = 0;
const host = {
  getScriptFileNames: () => [FILE],
  getScriptVersion: (name) => (name === FILE ? String(sourceVersion) : "0"),
  getScriptSnapshot: (name) => {
    if (name === FILE) return ts.ScriptSnapshot.fromString(sourceText);
    return fs.existsSync(name) ? ts.ScriptSnapshot.fromString(fs.readFileSync(name, "utf8")) : undefined;
  },
  getCurrentDirectory: () => __dirname,
  getCompilationSettings: () => ({
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  }),
  getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
  fileExists: (name) => name === FILE || fs.existsSync(name),
  readFile: (name) => (name === FILE ? sourceText : fs.readFileSync(name, "utf8")),
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

function slackSource(payloads) {
  const lines = [...PRELUDE];
  const owners = []; // [first line, last line, name], zero-based as tsc counts
  let next = lines.length;
  for (const p of payloads) {
    const type = SLACK_TYPES[p.type];
    if (!type) throw new Error(`unknown Slack payload type ${p.type}`);
    const text = `export const p${owners.length}: ${type} = ${JSON.stringify(p.value, null, 1)};`;
    lines.push(text);
    owners.push([next, next + countNewlines(text), p.name]);
    next += countNewlines(text) + 1;
  }
  return { text: lines.join("\n"), owners };
}

function slackErrors(payloads) {
  const { text, owners } = slackSource(payloads);
  sourceText = text;
  sourceVersion += 1;
  const errors = {};
  const found = service.getSyntacticDiagnostics(FILE).concat(service.getSemanticDiagnostics(FILE));
  for (const d of found) {
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start || 0).line : 0;
    const owner = owners.find(([a, b]) => line >= a && line <= b);
    const name = owner ? owner[2] : "(prelude)";
    (errors[name] = errors[name] || []).push(ts.flattenDiagnosticMessageText(d.messageText, " "));
  }
  return errors;
}

function countNewlines(text) {
  return (text.match(/\n/g) || []).length;
}

// --- The loop ------------------------------------------------------------------------------

async function answer(request) {
  if (request.kind === "cards") {
    return { errors: request.cards.map((c) => cardErrors(c, request.maxActions || 6)) };
  }
  if (request.kind === "teams-manifest") return { errors: await teamsManifestErrors(request.manifest) };
  if (request.kind === "slack") return { errors: slackErrors(request.payloads) };
  if (request.kind === "slack-source") return { errors: slackSource(request.payloads).text };
  throw new Error(`unknown request kind ${request.kind}`);
}

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
input.on("line", (line) => {
  queue = queue.then(async () => {
    let out;
    try {
      out = await answer(JSON.parse(line));
    } catch (err) {
      out = { failure: String(err && err.stack ? err.stack : err) };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  });
});
