import { expect, type Page } from '@playwright/test';

// The accounts playwright.config.ts creates before the server starts.
export const accounts = {
  admin: { user: 'e2e-admin', password: 'e2e-admin-password-1' },
  viewer: { user: 'e2e-viewer', password: 'e2e-viewer-password-1' },
};

// signIn signs in through the sign-in page.
export async function signIn(page: Page, who: { user: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('User name').fill(who.user);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
