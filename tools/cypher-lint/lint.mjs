// Lints Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support, lintCypherQuery).
//
// Input (stdin, JSON):
//   {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//               "graphSchema": [{"from", "relType", "to"}]},
//    "queries": [{"name": "...", "text": "...", "parameters": {"rows": "LIST<MAP>", ...},
//                 "procedures": true}]}
// Output (stdout, JSON):
//   [{"name": "...", "diagnostics": [{"severity": "error"|"warning"|"info"|"hint",
//                                     "message": "...", "line": 1, "character": 1}]}]
// `line` and `character` are 1-based (the linter's own positions are 0-based).
//
// Besides our vocabulary the linter is given the built-in functions and the procedures of Neo4j 5,
// taken from the package's own dump of a Neo4j 5 server (testData.mockSchema), so a misspelt or
// engine-specific function (one that only FalkorDB has) is an error too. APOC and other plugin
// functions are left out on purpose. A query with "procedures": false is linted without the
// procedure registry (FalkorDB's schema procedures are not Neo4j's).
//
// One workaround of a linter bug (2.0.0-next.38): inside a node pattern, the linter attributes
// every property name to the pattern's variable, so in `MATCH (a:Account {id: row.account_id})` the
// key `account_id` of the row map `row` is reported as an unknown property of `a`. A property warning
// whose text is preceded by `var.` where the linter's own symbol table says `var` is not a node or
// relationship is dropped (the same rule the linter applies outside patterns).
//
// Run by graphsvc_lint/cypher_lint.py (beside this file): one node process lints every statement.

import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function neo4jRegistries() {
  const mock = testData.mockSchema;
  const functions = Object.fromEntries(
    Object.entries(mock.functions?.[CYPHER_VERSION] ?? {}).filter(([, fn]) => fn.isBuiltIn),
  );
  const procedures = Object.fromEntries(
    Object.entries(mock.procedures?.[CYPHER_VERSION] ?? {}).filter(
      ([name]) => !/^(apoc|gds|genai)\./.test(name),
    ),
  );
  if (Object.keys(functions).length < 50 || !functions.toLower || !functions.coalesce) {
    throw new Error('the linter package no longer ships the Neo4j 5 function registry we rely on');
  }
  return { functions, procedures };
}

const NOT_A_PROPERTY = /^(Label|Relationship type|Function|Procedure) /;
const PROPERTY_ACCESS_BEFORE = /(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*\.\s*$/;

function isMisattributedProperty(d, text, symbolTables) {
  if (d.severity !== 2 || NOT_A_PROPERTY.test(d.message)) return false;
  if (!d.message.includes(' is not present in the database')) return false;
  const name = d.message.split(' is not present in the database')[0];
  if (text.slice(d.offsets.start, d.offsets.end).replace(/^`|`$/g, '') !== name) return false;
  const before = PROPERTY_ACCESS_BEFORE.exec(text.slice(0, d.offsets.start));
  if (!before) return false;
  const variable = before[1].replace(/^`|`$/g, '');
  for (const table of symbolTables) {
    const symbol = table.find((s) => s.variable === variable);
    if (symbol) {
      return !(symbol.types.length > 0 && symbol.types.every((t) => t === 'Node' || t === 'Relationship'));
    }
  }
  return false;
}

function lintAll(input) {
  const schema = input.schema ?? {};
  const { functions, procedures } = neo4jRegistries();
  const base = {
    labels: schema.labels ?? [],
    relationshipTypes: schema.relationshipTypes ?? [],
    propertyKeys: schema.propertyKeys ?? [],
    graphSchema: schema.graphSchema ?? [],
    defaultLanguage: CYPHER_VERSION,
    functions: { [CYPHER_VERSION]: functions },
  };
  const withProcedures = { ...base, procedures: { [CYPHER_VERSION]: procedures } };
  const out = [];
  for (const q of input.queries ?? []) {
    const dbSchema = {
      ...(q.procedures === false ? base : withProcedures),
      parameters: q.parameters ?? {},
    };
    let diagnostics;
    try {
      const result = lintCypherQuery(q.text, dbSchema, { consoleCommandsEnabled: false });
      diagnostics = result.diagnostics
        .filter((d) => !isMisattributedProperty(d, q.text, result.symbolTables))
        .map((d) => ({
          severity: SEVERITY[d.severity] ?? String(d.severity),
          message: d.message,
          line: d.range.start.line + 1,
          character: d.range.start.character + 1,
        }));
    } catch (err) {
      diagnostics = [
        { severity: 'error', message: `the linter crashed: ${err?.stack ?? err}`, line: 1, character: 1 },
      ];
    }
    out.push({ name: q.name, diagnostics });
  }
  return out;
}

// The linter costs ~50-200 ms per statement once warm (its semantic analysis is Neo4j's own front
// end compiled to JavaScript) plus ~1.5 s to load. Worker threads were tried: on a 2-core machine
// each worker pays the warm-up again and the gain was within the noise, so this stays one thread.
function main() {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify(lintAll(input)));
}

main();
