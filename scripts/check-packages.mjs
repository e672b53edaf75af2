#!/usr/bin/env node
// Packs every published package (packages/* without "private": true) the way `pnpm publish`
// would, then lints the tarball with publint (strict: warnings fail) and checks its types with
// @arethetypeswrong/core under the "esm-only" profile: the packages are ES modules only, so a
// `require()` from CommonJS and the pre-exports `node10` resolution are not supported
// (docs/releasing.md). Everything runs in one process over one tarball per package, which keeps
// the step to seconds. Usage: `pnpm check:packages [dir ...]` after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
// What `attw --profile esm-only` ignores: CommonJS consumers and pre-exports resolution.
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

function publishedPackages() {
  const requested = process.argv.slice(2).map((dir) => resolve(dir));
  const dirs = requested.length
    ? requested
    : readdirSync(join(root, 'packages'), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(root, 'packages', entry.name));
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

function pack(dir, destination) {
  const before = new Set(readdirSync(destination));
  execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const created = readdirSync(destination).filter((name) => !before.has(name) && name.endsWith('.tgz'));
  const [tarball] = created;
  if (created.length !== 1 || !tarball) throw new Error(`pnpm pack in ${dir} produced ${created.length} tarballs`);
  return readFileSync(join(destination, tarball));
}

function describeProblem(problem) {
  const where = [problem.entrypoint ?? problem.fileName, problem.resolutionKind].filter(Boolean).join(', ');
  return `${problem.kind}${where ? ` (${where})` : ''}`;
}

const packages = publishedPackages();
if (packages.length === 0) {
  console.error('check-packages: no published package found');
  process.exit(1);
}
const scratch = mkdtempSync(join(tmpdir(), 'colloquy-pack-'));
let failures = 0;
try {
  for (const { dir, manifest } of packages) {
    const name = manifest.name;
    const missing = Object.values(manifest.exports ?? {})
      .flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default]))
      .filter((target) => target && target.startsWith('./dist/') && !existsSync(join(dir, target)));
    if (missing.length) {
      console.log(`✗ ${name}: ${missing.join(', ')} not built; run \`pnpm build\` first`);
      failures++;
      continue;
    }
    const tarball = pack(dir, scratch);
    const problems = [];

    const lint = await publint({ pack: { tarball: new Uint8Array(tarball).buffer }, strict: true });
    for (const message of lint.messages) {
      problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false }) ?? message.code}`);
    }

    const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(tarball)));
    if (!analysis.types) problems.push('attw: the package ships no type declarations');
    else {
      for (const problem of analysis.problems) {
        if ('resolutionKind' in problem && IGNORED_RESOLUTIONS.has(problem.resolutionKind)) continue;
        problems.push(`attw: ${describeProblem(problem)}`);
      }
    }

    const where = relative(root, dir);
    if (problems.length === 0) {
      console.log(`✓ ${name} (${(tarball.length / 1024).toFixed(0)} KB packed)`);
    } else {
      failures++;
      console.log(`✗ ${name}`);
      for (const problem of problems) console.log(`    ${problem}`);
      console.log(`    details: pnpm exec publint ${where} && pnpm exec attw --pack ${where} --profile esm-only`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failures) {
  console.error(`check-packages: ${failures} of ${packages.length} packages have packaging problems`);
  process.exit(1);
}
console.log(`check-packages: ${packages.length} packages clean (publint --strict, attw esm-only)`);
