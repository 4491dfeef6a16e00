import { test, expect } from '@playwright/test';
import { accounts, signIn } from './signin';

test.beforeEach(async ({ page }) => { await signIn(page, accounts.admin); });

// The catalog journey: create two services and a dependency through the
// UI, find them in the catalog by searching, and see the dependency from
// both ends. Ids are unique per run so that the test also passes against a
// database that is not empty.
test('create services and a dependency, then find them in the catalog', async ({ page }) => {
  // A Content-Security-Policy violation, such as an inline style, shows
  // up as a console error.
  const problems: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));

  const run = Date.now().toString(36) + Math.floor(Math.random() * 1e4).toString(36);
  const api = { id: `e2e-api-${run}`, name: `E2E Orders API ${run}` };
  const db = { id: `e2e-db-${run}`, name: `E2E Orders DB ${run}` };

  // Create the two services with the form.
  for (const [svc, kind] of [[api, 'Application'], [db, 'Data store']] as const) {
    await page.goto('/services/new');
    await page.getByLabel('Id', { exact: true }).fill(svc.id);
    await page.getByLabel('Name', { exact: true }).fill(svc.name);
    await page.getByLabel('Kind').selectOption({ label: kind });
    await page.getByLabel('Recovery tier').selectOption({ label: 'Tier 1 · critical' });
    await page.getByLabel('RTO', { exact: true }).fill('4h');
    await page.getByRole('button', { name: 'Create service' }).click();
    await expect(page).toHaveURL(`/services/${svc.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(svc.name);
    await expect(page.getByRole('status')).toContainText(`Created service ${svc.name}`);
  }

  // The API depends on the database: add the dependency on the API's page.
  await page.goto(`/services/${api.id}`);
  await page.getByLabel('Service', { exact: true }).fill(db.id);
  await page.locator('#dep-type').fill('stores-data-in');
  await page.getByRole('button', { name: 'Add dependency' }).click();
  await expect(page).toHaveURL(`/services/${api.id}`);
  await expect(page.getByRole('status')).toContainText(`Added a dependency on ${db.id}`);
  const dependsOn = page.locator('#depends-on');
  await expect(dependsOn.getByRole('link', { name: db.id })).toBeVisible();
  await expect(dependsOn).toContainText('stores-data-in');
  await expect(dependsOn).toContainText('Hard');

  // Search the catalog: htmx replaces the results as the user types, and
  // the address follows the search.
  await page.goto('/services');
  await page.getByLabel('Search').fill(run);
  const results = page.locator('#service-table');
  await expect(results.getByRole('link', { name: api.name })).toBeVisible();
  await expect(results.getByRole('link', { name: db.name })).toBeVisible();
  await expect(results.locator('tbody tr')).toHaveCount(2);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${run}`));

  // The database's page shows who depends on it.
  await results.getByRole('link', { name: db.name }).click();
  await expect(page).toHaveURL(`/services/${db.id}`);
  const dependedOnBy = page.locator('#depended-on-by');
  await expect(dependedOnBy.getByRole('link', { name: api.name })).toBeVisible();
  await expect(dependedOnBy).toContainText(api.id);

  // And back to the API's page through that link.
  await dependedOnBy.getByRole('link', { name: api.name }).click();
  await expect(page).toHaveURL(`/services/${api.id}`);
  await expect(page.locator('#depends-on').getByRole('link', { name: db.id })).toBeVisible();

  expect(problems).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('create a service with a redundancy group and filter the catalog', async ({ page }) => {
    const run = Date.now().toString(36) + Math.floor(Math.random() * 1e4).toString(36);
    const ids = [`nojs-a-${run}`, `nojs-b-${run}`, `nojs-app-${run}`];
    for (const id of ids) {
      await page.goto('/services/new');
      await page.getByLabel('Id', { exact: true }).fill(id);
      await page.getByLabel('Kind').selectOption({ label: id.includes('app') ? 'Application' : 'Infrastructure' });
      await page.getByRole('button', { name: 'Create service' }).click();
      await expect(page).toHaveURL(`/services/${id}`);
    }

    // A malformed duration is refused next to its input, keeping what was typed.
    await page.goto(`/services/${ids[2]}`);
    await page.getByText('Or add a redundancy group').click();
    await page.getByLabel('Members').fill(`${ids[0]}, ${ids[1]}`);
    await page.locator('#grp-workaround').fill('a while');
    await page.getByRole('button', { name: 'Add redundancy group' }).click();
    await expect(page.locator('#err-workaround')).toContainText('is not a duration');
    await expect(page.getByLabel('Members')).toHaveValue(`${ids[0]}, ${ids[1]}`);

    await page.locator('#grp-workaround').fill('2h');
    await page.getByRole('button', { name: 'Add redundancy group' }).click();
    await expect(page.locator('#depends-on')).toContainText(`any 1 of ${ids[0]}, ${ids[1]}`);
    await expect(page.locator('#depends-on')).toContainText('up to 2h');

    // The filter form is a plain GET form.
    await page.goto('/services');
    await page.getByLabel('Search').fill(`nojs-`);
    await page.getByLabel('Kind').selectOption({ label: 'Infrastructure' });
    await page.getByRole('button', { name: 'Apply' }).click();
    const rows = page.locator('#service-table tbody tr');
    await expect(rows.filter({ hasText: ids[0] })).toHaveCount(1);
    await expect(rows.filter({ hasText: ids[1] })).toHaveCount(1);
    await expect(rows.filter({ hasText: ids[2] })).toHaveCount(0);
  });
});
