import { test, expect, type Page } from '@playwright/test';
import { accounts, signIn } from './signin';

// The BIA journey on the demo's gift cards, the business service launched
// without a BIA: answer the guided questions, watch the preview follow,
// save, read the derived objectives with their reasons, then submit the
// BIA and approve it. The BIA is deleted afterwards, so that the other
// journeys see the demo as it ships.
const service = 'gift-cards';

test.beforeEach(async ({ page }) => { await signIn(page, accounts.admin); });
test.afterEach(async ({ page }) => {
  const res = await page.request.delete(`/api/v1/services/${service}/bia`);
  expect([204, 404]).toContain(res.status());
});

// rate answers one question: how bad is it for a category after a time.
async function rate(page: Page, after: string, question: string, rating: string) {
  const point = page.getByRole('group', { name: new RegExp(`^After ${after} without Gift cards`) });
  await point.getByLabel(question).selectOption({ label: rating });
}

test('answer the BIA questions, then submit and approve the BIA', async ({ page }) => {
  // Console errors, such as a Content-Security-Policy violation, but not
  // the 422 of the form refused on purpose below.
  const problems: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error' && !msg.text().includes('status of 422')) problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));

  // The service page offers to start the BIA.
  await page.goto(`/services/${service}`);
  await expect(page.locator('#service-bia')).toContainText('No BIA yet');
  await page.locator('#service-bia').getByRole('link', { name: 'Start the BIA' }).click();
  await expect(page).toHaveURL(`/services/${service}/bia/edit`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Start the BIA of Gift cards');

  // The default time points, one question per category each.
  for (const after of ['1 hour', '4 hours', '1 day', '3 days', '1 week']) {
    await expect(page.getByRole('group', { name: new RegExp(`^After ${after} without Gift cards, how bad is it`) })).toBeVisible();
  }
  await rate(page, '1 hour', '…for customers?', 'minor');
  await rate(page, '4 hours', '…for customers?', 'moderate');
  await rate(page, '4 hours', '…financially?', 'minor');
  await page.getByLabel('Money lost so far, in USD').nth(1).fill('12,000');

  // A time point added in between; it takes its place in time order.
  await page.getByRole('button', { name: 'Add a time point' }).click();
  const added = page.getByRole('group', { name: /^After how long without Gift cards/ });
  await added.getByLabel('Time since the outage began').fill('12h');
  await added.getByLabel('…for customers?').selectOption({ label: 'major (intolerable)' });
  await added.getByLabel('Money lost so far, in USD').fill('60000');

  // The preview follows the answers: customers find it intolerable at 12h.
  await expect(page.locator('#bia-preview #objective-mtpd')).toContainText('12h');
  await expect(page.locator('#bia-preview #objective-mtpd')).toContainText('customer impact becomes major, which is intolerable, at 12h');

  // Remove the last point, a week, which this BIA does not need.
  await page.getByRole('button', { name: 'Remove the point 1w' }).click();
  await expect(page.getByRole('group', { name: /^After 1 week without/ })).toHaveCount(0);

  await page.getByLabel(/how long does it take to check the data and clear the backlog/).fill('2h');
  await page.getByLabel('How much recent data could you lose?').fill('15m');
  await page.getByLabel(/What is the least the business must keep doing/).fill('Gift cards accepted at the tills offline, checked later');
  await page.locator('[name="peak_periods[0].name"]').fill('Christmas');
  await page.locator('[name="peak_periods[0].when"]').fill('1 to 24 December');
  await page.locator('[name="peak_periods[0].factor"]').fill('4');
  await page.locator('[name="resources.people[0].role"]').fill('Payments engineer on call');
  await page.locator('[name="resources.people[0].count"]').fill('1');
  await page.getByLabel('Systems').fill('payments-api');

  // A wrong answer is refused next to its input, and nothing typed is lost.
  await page.getByLabel('How much recent data could you lose?').fill('a while');
  await page.getByRole('button', { name: 'Save the BIA' }).click();
  await expect(page.getByRole('alert')).toContainText('Some values need fixing');
  await expect(page.locator('#err-rpo')).toContainText('is not a duration');
  await expect(page.locator('[name="peak_periods[0].name"]')).toHaveValue('Christmas');
  await expect(page.getByLabel('Systems')).toHaveValue('payments-api');
  await page.getByLabel('How much recent data could you lose?').fill('15m');
  await page.getByRole('button', { name: 'Save the BIA' }).click();

  // The BIA's page: the derived objectives with their reasons.
  await expect(page).toHaveURL(`/services/${service}/bia`);
  await expect(page.getByRole('status')).toContainText('Saved the BIA of Gift cards');
  await expect(page.locator('#objective-mtpd')).toContainText('MTPD is 12h because customer impact becomes major, which is intolerable, at 12h');
  await expect(page.locator('#objective-rpo')).toContainText('15m');
  await expect(page.locator('#objective-tier')).toContainText('Tier 1');
  await expect(page.locator('#rto-sides')).toContainText('not yet proven by an exercise');
  await expect(page.locator('.impact-table')).toContainText('$60,000');
  await expect(page.locator('.chart canvas').first()).toBeVisible();

  // Submit for review, then approve on behalf of the business owner.
  const signOff = page.locator('#sign-off');
  await expect(signOff).toContainText('Draft');
  await signOff.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('status')).toContainText('Submitted the BIA for review');
  await expect(signOff).toContainText('In review');
  await signOff.getByLabel('Signed off by').selectOption({ label: 'Alice Martin' });
  await signOff.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toContainText('Approved the BIA');
  await expect(signOff).toContainText('approved by Alice Martin');

  // The list of BIAs shows it among the approved ones.
  await page.getByRole('link', { name: 'BIA', exact: true }).click();
  await page.getByRole('link', { name: /^Approved/ }).click();
  await expect(page.locator('#bia-table')).toContainText('Gift cards');
  expect(problems).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  // The guided BIA is a plain form: each button posts it and gets it back,
  // nothing typed lost, until it is saved.
  test('answer the BIA questions with plain forms', async ({ page }) => {
    await page.goto(`/services/${service}/bia/edit`);
    await rate(page, '4 hours', '…for operations?', 'moderate');
    await page.getByRole('button', { name: 'Add a time point' }).click();
    const added = page.getByRole('group', { name: /^After how long without Gift cards/ });
    await added.getByLabel('Time since the outage began').fill('2d');
    await added.getByLabel('…for operations?').selectOption({ label: 'severe (intolerable)' });
    await page.getByRole('button', { name: 'Update the preview' }).click();
    await expect(page.locator('#bia-preview #objective-mtpd')).toContainText('MTPD is 2d because operational impact becomes severe');
    // The new point took its place in time, and the earlier answer stayed.
    await expect(page.locator('input[name$=".after"]').nth(3)).toHaveValue('2d');
    await expect(page.getByRole('group', { name: /^After 4 hours/ }).getByLabel('…for operations?')).toHaveValue('3');

    await page.getByRole('button', { name: 'Save the BIA' }).click();
    await expect(page).toHaveURL(`/services/${service}/bia`);
    await expect(page.locator('#objective-mtpd')).toContainText('2d');
    await expect(page.locator('.impact-table')).toContainText('severe');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expect(page.locator('#sign-off')).toContainText('In review');
  });
});
