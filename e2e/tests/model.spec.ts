import { test, expect } from '@playwright/test';
import { accounts, signIn } from './signin';

test.beforeEach(async ({ page }) => { await signIn(page, accounts.admin); });

// The model journey: upload model files made here, review the plan, apply
// it and find what it created; then upload a change and see it as an
// update with the field it changes. Ids are unique per run, so the test
// passes against a database that is not empty.
test('upload model files, review the plan, apply it, then review a change', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));

  const run = Date.now().toString(36) + Math.floor(Math.random() * 1e4).toString(36);
  const team = `e2e-team-${run}`;
  const site = `e2e-site-${run}`;
  const db = `e2e-db-${run}`;
  const app = `e2e-app-${run}`;
  const model = (appName: string) => `teams:
  - {id: ${team}, name: E2E team ${run}}
services:
  - {id: ${site}, kind: site, owner: ${team}}
  - id: ${db}
    kind: data-store
    owner: ${team}
    tier: 1
    objectives: {rto: 1h, rpo: 15m}
    depends_on: [${site}]
  - id: ${app}
    name: ${appName}
    owner: ${team}
    depends_on: [${db}, {on: ${site}, type: hosted-in}]
`;

  await page.goto('/model');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Model');
  await expect(page.getByRole('link', { name: 'Download as YAML' })).toHaveAttribute('href', '/model/export.yaml');

  // Review: nothing is changed yet.
  await page.getByLabel('Model files', { exact: true }).setInputFiles({ name: 'model.yaml', mimeType: 'application/yaml', buffer: Buffer.from(model(`E2E Shop ${run}`)) });
  await page.getByRole('button', { name: 'Review changes' }).click();
  await expect(page).toHaveURL('/model/plan');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review changes');
  await expect(page.locator('#plan-summary')).toContainText('4 to create');
  const changes = page.locator('#changes');
  for (const id of [site, db, app]) {
    await expect(changes).toContainText(`+ service ${id}`);
  }
  await expect(changes).toContainText(`+ team ${team}`);
  expect((await page.request.get(`/api/v1/services/${app}`)).status()).toBe(404);

  // Apply: back on the model page with what was done.
  await page.getByRole('button', { name: 'Apply these changes' }).click();
  await expect(page).toHaveURL('/model');
  await expect(page.getByRole('status')).toContainText('Applied: 4 created, 0 updated, 0 deleted.');
  await page.goto(`/services/${app}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`E2E Shop ${run}`);
  await expect(page.locator('#depends-on').getByRole('link', { name: db })).toBeVisible();

  // A change to one service is an update, with the field it changes.
  await page.goto('/model');
  await page.getByLabel('Model files', { exact: true }).setInputFiles({ name: 'model.yaml', mimeType: 'application/yaml', buffer: Buffer.from(model(`E2E Shop ${run} v2`)) });
  await page.getByRole('button', { name: 'Review changes' }).click();
  await expect(page.locator('#plan-summary')).toContainText('0 to create');
  await expect(page.locator('#plan-summary')).toContainText('1 to update');
  const update = page.locator('.plan-update', { hasText: app });
  await expect(update).toContainText(`~ service ${app}`);
  await expect(update).toContainText(`name: "E2E Shop ${run}" -> "E2E Shop ${run} v2"`);
  await page.getByRole('button', { name: 'Apply these changes' }).click();
  await expect(page.getByRole('status')).toContainText('Applied: 0 created, 1 updated, 0 deleted.');
  await page.goto(`/services/${app}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`E2E Shop ${run} v2`);

  expect(problems).toEqual([]);
});

test('files that cannot be loaded are shown with the line at fault', async ({ page }) => {
  await page.goto('/model');
  await page.getByLabel('Or paste YAML').fill('services:\n  - id: fine\n    colour: red\n');
  await page.getByRole('button', { name: 'Review changes' }).click();
  const errors = page.locator('.load-errors');
  await expect(errors).toContainText('pasted.yaml:3:5');
  await expect(errors).toContainText('unknown key "colour"');
  await expect(errors.locator('.source-quote')).toContainText('colour: red');
  // The pasted text is kept for fixing.
  await expect(page.getByLabel('Or paste YAML')).toHaveValue('services:\n  - id: fine\n    colour: red\n');
});
