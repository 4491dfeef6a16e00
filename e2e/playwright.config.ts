import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Each run starts the real binary on a fresh SQLite database in a new
// temporary folder. The config is loaded again in every worker; the folder
// is made once and handed down through the environment.
process.env.LIFEBOAT_E2E_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-e2e-'));
const dataDir = process.env.LIFEBOAT_E2E_DIR;
const addr = '127.0.0.1:18080';
const database = 'sqlite://' + path.join(dataDir, 'lifeboat.db');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://${addr}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    // Accounts first (see tests/signin.ts), then the server with the demo
    // organisation, Northwind Outfitters (examples/).
    command: [
      `printf '%s\\n' e2e-admin-password-1 | ../bin/lifeboat user add e2e-admin --role admin --password-stdin --database ${database}`,
      `printf '%s\\n' e2e-viewer-password-1 | ../bin/lifeboat user add e2e-viewer --role viewer --password-stdin --database ${database}`,
      `exec ../bin/lifeboat serve --demo --addr ${addr} --database ${database}`,
    ].join(' && '),
    url: `http://${addr}/readyz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
