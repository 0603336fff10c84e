#!/usr/bin/env node
// Runs before `npm start` / `npm test`: on a fresh clone (or after package-lock.json changed)
// it installs exactly the locked dependencies, so those two commands are the whole set-up.
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.curepath-lock-hash');
const lockHash = () => createHash('sha256').update(readFileSync(lock)).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash()) process.exit(0);
console.error('[curepath] installing dependencies (npm install)…');
// Not `npm ci`: npm 11 rejects lock files that lack other platforms' optional binaries (@swc/core-*).
execSync('npm install --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
// Hash after the install: npm may have rewritten the lock file.
writeFileSync(stamp, lockHash());
