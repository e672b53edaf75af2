#!/usr/bin/env node
// Reads StrykerJS's JSON report (reports/mutation/mutation.json) and prints what a person needs
// to strengthen the conformance suite: the mutation score, which rules' tests killed mutants
// (from the failing test titles, `[R12] …`), and every surviving mutant grouped by the part of
// the adapter it lives in, beside the rules that part keeps.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = JSON.parse(readFileSync(process.argv[2] ?? `${root}reports/mutation/mutation.json`, 'utf8'));

// Which rules (docs/adapters.md) each part of map-adapter.ts keeps.
const RULES_BY_PART = {
  encodeCursor: ['R12'],
  decodeCursor: ['R12', 'R14'],
  run: ['R1', 'R2', 'R30'],
  present: ['R15', 'R24'],
  tree: ['R10', 'R23', 'R24', 'R9'],
  depth: ['R17'],
  mine: ['R20', 'R21', 'R22', 'R31'],
  newIdentity: ['R4', 'R5', 'R6'],
  capabilities: ['R3', 'R33'],
  getIdentity: ['R4'],
  identify: ['R4', 'R5', 'R7'],
  listComments: ['R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14'],
  createComment: ['R15', 'R16', 'R17', 'R18', 'R28', 'R29'],
  editComment: ['R19', 'R28', 'R29'],
  deleteComment: ['R23', 'R24'],
  reportComment: ['R25', 'R26', 'R31'],
  countComments: ['R27', 'R32'],
};

/** The innermost named function, method or property holding each position of a file. */
function partsOf(fileName, source) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const spans = [];
  const visit = (node) => {
    let name = null;
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) name = node.name.getText(file);
    else if (ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node)) name = node.name.getText(file);
    else if (ts.isClassDeclaration(node) && node.name) name = node.name.getText(file);
    if (name) spans.push({ name, start: node.getStart(file), end: node.getEnd() });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return (line, column) => {
    const position = file.getPositionOfLineAndCharacter(line - 1, column - 1);
    const holding = spans.filter((s) => s.start <= position && position < s.end);
    // The innermost part the table knows, else the innermost one at all.
    const known = holding.filter((s) => s.name in RULES_BY_PART).at(-1);
    return (known ?? holding.at(-1))?.name ?? '(top level)';
  };
}

const ruleIds = (text) => [...(text ?? '').matchAll(/\[((?:R\d+ ?)+)\]/g)].flatMap((m) => m[1].trim().split(' '));
const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
const killsByRule = new Map();
const survivors = new Map();

for (const [fileName, file] of Object.entries(report.files)) {
  const partAt = partsOf(fileName, file.source);
  const lines = file.source.split('\n');
  for (const mutant of file.mutants) {
    counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    if (mutant.status === 'Killed') {
      for (const id of new Set(ruleIds(mutant.statusReason))) killsByRule.set(id, (killsByRule.get(id) ?? 0) + 1);
    }
    if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
      const { start } = mutant.location;
      const part = partAt(start.line, start.column);
      const list = survivors.get(part) ?? [];
      list.push({ mutant, code: lines[start.line - 1].trim() });
      survivors.set(part, list);
    }
  }
}

const detected = counts.Killed + counts.Timeout;
const valid = detected + counts.Survived + counts.NoCoverage;
console.log(`\nMutation score: ${((100 * detected) / valid).toFixed(2)}% (${detected} of ${valid} detected; ` +
  `${counts.Killed} killed, ${counts.Timeout} timed out, ${counts.Survived} survived, ${counts.NoCoverage} without coverage, ` +
  `${counts.CompileError + counts.RuntimeError} invalid)`);

const allRules = [...new Set([...Object.values(RULES_BY_PART).flat(), ...killsByRule.keys()])].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
console.log('\nMutants killed by each rule’s tests:');
console.log(allRules.map((id) => `${id} ${killsByRule.get(id) ?? 0}`).join(', '));
const unkilled = allRules.filter((id) => !killsByRule.has(id));
console.log(unkilled.length ? `Rules whose tests killed no mutant: ${unkilled.join(', ')}` : 'Every rule’s tests killed at least one mutant.');

console.log(`\nSurvivors by part of the adapter (${counts.Survived + counts.NoCoverage}):`);
for (const [part, list] of [...survivors].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`\n${part} — keeps ${(RULES_BY_PART[part] ?? ['no rule']).join(', ')}: ${list.length}`);
  for (const { mutant, code } of list) {
    const at = `${mutant.location.start.line}:${mutant.location.start.column}`;
    console.log(`  #${mutant.id} ${at} ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${JSON.stringify(mutant.replacement ?? '')}`);
    console.log(`      in: ${code.length > 110 ? `${code.slice(0, 107)}...` : code}`);
  }
}
