#!/usr/bin/env node
// Writes or checks the API report of every published package: for each entry of its `exports`
// map that has types, `packages/<pkg>/etc/<entry>.api.md` lists the declarations that entry
// exports, as the built .d.ts files declare them (comments removed, sorted by name), followed by
// the package's own declarations those refer to without exporting them. One TypeScript program
// covers every entry, so a run takes seconds. Why not API Extractor: docs/decisions/0015-api-reports.md.
//
//   node scripts/api-report.mjs            check: exit 1 with a diff when a report is out of date
//   node scripts/api-report.mjs --update   rewrite the reports
//
// Both read dist/. The check fails when a package's dist/ is older than its src/ (run `pnpm build`);
// the update rebuilds those packages' declarations itself, so after a merge it is one command.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const update = process.argv.includes('--update');
const REPORT_SUFFIX = '.api.md';

/** @typedef {{ pkgDir: string, name: string, subpath: string, dts: string, report: string }} Entry */

/** The published packages' entries that declare types, in a stable order. */
function entries() {
  /** @type {Entry[]} */
  const found = [];
  const dirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
    .map((d) => join(root, 'packages', d.name))
    .sort();
  for (const pkgDir of dirs) {
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    if (manifest.private === true) continue;
    const exportsMap = manifest.exports ?? { '.': { types: manifest.types } };
    for (const [subpath, target] of Object.entries(exportsMap)) {
      const types = typeof target === 'object' && target !== null ? target.types : undefined;
      if (typeof types !== 'string') continue;
      const entryName = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replaceAll('/', '-');
      found.push({
        pkgDir,
        name: manifest.name,
        subpath,
        dts: resolve(pkgDir, types),
        report: join(pkgDir, 'etc', `${entryName}${REPORT_SUFFIX}`),
      });
    }
  }
  return found;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The package folder (holding package.json) a file belongs to. */
function packageDirOf(file) {
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return dir;
}

function resolveAlias(checker, symbol) {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** Declaration text without comments and without the `export`/`declare`/`default` keywords. */
function printDeclaration(declaration) {
  const file = declaration.getSourceFile();
  if (ts.isVariableDeclaration(declaration)) {
    const list = declaration.parent;
    const keyword = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
    return `${keyword} ${printer.printNode(ts.EmitHint.Unspecified, declaration, file)};`;
  }
  const text = printer.printNode(ts.EmitHint.Unspecified, declaration, file);
  return text.replace(/^(?:(?:export|declare|default)\s+)+/, '');
}

/** Local symbols a declaration names in a type position. */
function referencedSymbols(checker, declaration) {
  const found = [];
  const visit = (node) => {
    let name;
    if (ts.isTypeReferenceNode(node)) name = node.typeName;
    else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
    else if (ts.isTypeQueryNode(node)) name = node.exprName;
    else if (ts.isImportTypeNode(node)) name = node.qualifier;
    if (name) {
      while (ts.isQualifiedName(name)) name = name.left;
      while (ts.isPropertyAccessExpression(name)) name = name.expression;
      const symbol = checker.getSymbolAtLocation(name);
      if (symbol) found.push(resolveAlias(checker, symbol));
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration);
  return found;
}

/** The report text of one entry. */
function report(checker, program, entry) {
  const source = program.getSourceFile(entry.dts);
  if (!source) throw new Error(`${relative(root, entry.dts)} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  const ownDir = entry.pkgDir + sep;
  const isOwn = (declaration) => declaration.getSourceFile().fileName.startsWith(ownDir) && !declaration.getSourceFile().fileName.includes(`${sep}node_modules${sep}`);

  const exportedTargets = new Set();
  const blocks = [];
  const pending = [];
  for (const symbol of [...exported].sort((a, b) => a.name.localeCompare(b.name))) {
    const target = resolveAlias(checker, symbol);
    exportedTargets.add(target);
    const declarations = target.declarations ?? [];
    const first = declarations[0];
    if (!first) {
      blocks.push(`export { ${symbol.name} };`);
      continue;
    }
    if (ts.isSourceFile(first)) {
      blocks.push(`export * as ${symbol.name} from "${relative(entry.pkgDir, first.fileName).split(sep).join('/')}";`);
      continue;
    }
    if (!isOwn(first)) {
      const from = JSON.parse(readFileSync(join(packageDirOf(first.getSourceFile().fileName), 'package.json'), 'utf8')).name;
      blocks.push(`export { ${target.name === symbol.name ? symbol.name : `${target.name} as ${symbol.name}`} } from "${from}";`);
      continue;
    }
    const texts = declarations.filter(isOwn).map((d) => printDeclaration(d));
    const renamed = target.name !== symbol.name && target.name !== 'default';
    blocks.push(
      renamed
        ? `${texts.join('\n')}\nexport { ${target.name} as ${symbol.name} };`
        : texts.map((t) => `export ${t}`).join('\n'),
    );
    for (const d of declarations.filter(isOwn)) pending.push(...referencedSymbols(checker, d));
  }

  // Declarations the exports refer to but the entry does not export: a change to them changes
  // the public surface too.
  const internal = new Map();
  /** @type {Map<string, Set<string>>} package name -> names the declarations use from it */
  const imports = new Map();
  while (pending.length) {
    const symbol = pending.pop();
    if (exportedTargets.has(symbol) || internal.has(symbol)) continue;
    if (symbol.flags & ts.SymbolFlags.TypeParameter) continue;
    const all = (symbol.declarations ?? []).filter((d) => !ts.isSourceFile(d));
    const declarations = all.filter(isOwn);
    if (declarations.length === 0) {
      // A type from another package (the standard library's own declarations are left out).
      const foreign = all[0]?.getSourceFile();
      if (foreign && !program.isSourceFileDefaultLibrary(foreign)) {
        const from = JSON.parse(readFileSync(join(packageDirOf(foreign.fileName), 'package.json'), 'utf8')).name;
        if (!imports.has(from)) imports.set(from, new Set());
        imports.get(from)?.add(symbol.name);
      }
      continue;
    }
    const file = relative(entry.pkgDir, declarations[0].getSourceFile().fileName).split(sep).join('/');
    internal.set(symbol, { key: `${symbol.name}\0${file}`, text: `// ${file}\n${declarations.map((d) => printDeclaration(d)).join('\n')}` });
    for (const d of declarations) pending.push(...referencedSymbols(checker, d));
  }
  const internalBlocks = [...internal.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((b) => b.text);

  const specifier = entry.subpath === '.' ? entry.name : `${entry.name}/${entry.subpath.replace(/^\.\//, '')}`;
  return [
    `## API Report File for "${specifier}"`,
    '',
    '> Do not edit this file. It is written by `pnpm api:update` (scripts/api-report.mjs) from',
    `> \`${relative(entry.pkgDir, entry.dts).split(sep).join('/')}\`; review its changes like code.`,
    '',
    '```ts',
    ...[...imports.keys()].sort().map((from) => `import type { ${[...(imports.get(from) ?? [])].sort().join(', ')} } from "${from}";`),
    ...(imports.size ? [''] : []),
    blocks.join('\n\n') || '// (no exports)',
    ...(internalBlocks.length ? ['', '// ---- Referenced by the exports above, not exported ----', '', internalBlocks.join('\n\n')] : []),
    '```',
    '',
  ].join('\n');
}

/** Newest modification time of the files a package's declarations are built from. */
function newestSource(dir) {
  let newest = 0;
  const walk = (folder) => {
    for (const item of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, item.name);
      if (item.isDirectory()) {
        if (item.name !== 'testing' && item.name !== 'node_modules') walk(path);
      } else if (/\.ts$/.test(item.name) && !/\.(test|fixture)\.ts$|test-support\.ts$/.test(item.name)) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(dir, 'src'));
  newest = Math.max(newest, statSync(join(dir, 'package.json')).mtimeMs);
  return newest;
}

/** Packages whose built declarations are missing or older than their sources, dependencies first. */
function staleBuilds(list) {
  const dirs = [...new Set(list.map((e) => e.pkgDir))];
  const stale = dirs.filter((dir) => {
    const outputs = list.filter((e) => e.pkgDir === dir && e.dts.includes(`${sep}dist${sep}`)).map((e) => e.dts);
    if (outputs.some((file) => !existsSync(file))) return true;
    const oldest = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
    return newestSource(dir) > oldest;
  });
  const names = new Map(dirs.map((dir) => [JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, dir]));
  const dependsOn = (dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies })
      .map((name) => names.get(name))
      .filter((d) => d !== undefined);
  };
  const ordered = [];
  const visiting = new Set();
  const visit = (dir) => {
    if (ordered.includes(dir) || visiting.has(dir)) return;
    visiting.add(dir);
    for (const dep of dependsOn(dir)) visit(dep);
    ordered.push(dir);
  };
  for (const dir of dirs) visit(dir);
  return ordered.filter((dir) => stale.includes(dir));
}

const all = entries();
const stale = staleBuilds(all);
if (stale.length && update) {
  // Rebuilding only the declarations keeps `pnpm api:update` one command after a merge.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const dir of stale) {
    console.log(`api-report: building the declarations of ${relative(root, dir)} (older than its sources)`);
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  }
} else if (stale.length) {
  console.error(`api-report: dist/ is missing or older than src/ in ${stale.map((d) => relative(root, d)).join(', ')}; run \`pnpm build\` first.`);
  process.exit(1);
}
const program = ts.createProgram({
  rootNames: all.map((e) => e.dts),
  options: {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    skipLibCheck: true,
    noEmit: true,
    experimentalDecorators: true,
  },
});
const checker = program.getTypeChecker();

const expected = new Map(all.map((e) => [e.report, report(checker, program, e)]));
// Reports whose entry no longer exists.
const packageDirs = [...new Set(all.map((e) => e.pkgDir))];
const orphans = packageDirs.flatMap((dir) => {
  const etc = join(dir, 'etc');
  return existsSync(etc) ? readdirSync(etc).filter((f) => f.endsWith(REPORT_SUFFIX)).map((f) => join(etc, f)).filter((f) => !expected.has(f)) : [];
});

if (update) {
  let changed = 0;
  for (const [file, text] of expected) {
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`api-report: wrote ${relative(root, file)}`);
    changed++;
  }
  for (const file of orphans) {
    rmSync(file);
    console.log(`api-report: removed ${relative(root, file)} (no such entry any more)`);
    changed++;
  }
  console.log(`api-report: ${expected.size} reports, ${changed} changed`);
} else {
  const scratch = mkdtempSync(join(tmpdir(), 'colloquy-api-'));
  let outdated = 0;
  try {
    for (const [file, text] of expected) {
      const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (current === text) continue;
      outdated++;
      const name = relative(root, file);
      if (current === undefined) {
        console.log(`api-report: ${name} is missing`);
        continue;
      }
      const fresh = join(scratch, `${outdated}${REPORT_SUFFIX}`);
      writeFileSync(fresh, text);
      let diff = '';
      try {
        execFileSync('git', ['diff', '--no-index', '--no-color', '--', file, fresh], { encoding: 'utf8' });
      } catch (error) {
        diff = /** @type {{ stdout?: string }} */ (error).stdout ?? '';
      }
      console.log(`api-report: the public surface of ${name.replace(/\/etc\/.*$/, '')} changed (${name}):`);
      console.log(diff.split('\n').slice(4).join('\n'));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const file of orphans) {
    outdated++;
    console.log(`api-report: ${relative(root, file)} reports an entry that no longer exists`);
  }
  if (outdated) {
    console.error(
      `api-report: ${outdated} API report(s) out of date. If the change is intended, run \`pnpm api:update\`` +
        ' and commit the reports (and add a changeset: `pnpm changeset`).',
    );
    process.exit(1);
  }
  console.log(`api-report: ${expected.size} reports up to date`);
}
