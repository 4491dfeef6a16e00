import { test, expect } from '@playwright/test';
import { accounts, signIn } from './signin';

test.beforeEach(async ({ page }) => { await signIn(page, accounts.viewer); });

// The server runs with --demo: Northwind Outfitters from examples/ is in
// the catalog, with its redundancy group and its deliberate findings.
test('the demo organisation is served', async ({ page }) => {
  await page.goto('/services/checkout-api');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Checkout');
  const dependsOn = page.locator('#depends-on');
  await expect(dependsOn.getByRole('link', { name: 'orders-db-primary' })).toBeVisible();
  await expect(dependsOn.getByRole('link', { name: 'orders-db-replica' })).toBeVisible();

  await page.goto('/model');
  await expect(page.getByText('legacy-ftp').first()).toBeVisible();
  await expect(page.getByText('wms-db').first()).toBeVisible();
});
