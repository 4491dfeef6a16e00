import { test, expect } from '@playwright/test';
import { accounts, signIn } from './signin';

// Access control: visitors must sign in, a viewer sees no edit controls,
// and a POST forged from a viewer's session is refused by the server.
test('a viewer reads but cannot change anything', async ({ page }) => {
  await page.goto('/services');
  await expect(page).toHaveURL(/\/login\?next=%2Fservices/);

  await signIn(page, accounts.viewer);
  await page.goto('/services');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Services');
  await expect(page.getByRole('link', { name: 'New service' })).toHaveCount(0);

  // The form the page does not offer, posted anyway with the viewer's cookie.
  const forged = await page.request.post('/services', {
    form: { id: 'forged-by-viewer', kind: 'application' },
    headers: { 'Sec-Fetch-Site': 'same-origin' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  const check = await page.request.get('/api/v1/services/forged-by-viewer');
  expect(check.status()).toBe(404);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password is refused without saying which part was wrong', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill(accounts.viewer.user);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');
});
