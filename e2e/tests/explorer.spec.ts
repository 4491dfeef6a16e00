import { test, expect } from '@playwright/test';
import { accounts, signIn } from './signin';

test.beforeEach(async ({ page }) => { await signIn(page, accounts.viewer); });

// The explorer journey on the demo organisation: open the checkout API's
// dependencies from its page, see the graph drawn, fail DC East through
// the id input and read what goes down, by which path, the recovery
// waves and what the outage costs; then fail the production cluster and
// find the services that miss their RTO. The page runs under the
// Content-Security-Policy: any refused script or style shows as a console
// error.
test('explore a service\'s dependencies and simulate a failure', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));

  await page.goto('/services/checkout-api');
  await page.getByRole('link', { name: 'Explore dependencies' }).click();
  await expect(page).toHaveURL('/services/checkout-api/graph');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dependencies of Checkout API');

  // The graph: cytoscape has drawn its canvas and every service of the view.
  const graph = page.locator('#explorer');
  await expect(graph).toHaveAttribute('data-state', 'ready');
  const drawn = Number(await graph.getAttribute('data-rendered-nodes'));
  expect(drawn).toBeGreaterThan(10);
  await expect(graph.locator('canvas').first()).toBeVisible();
  const box = await graph.boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(300);
  // The list the page renders itself holds the same services.
  const listed = await page.locator('#neighbourhood .x-node > a').count();
  expect(listed + 1).toBe(drawn);
  await expect(page.locator('#neighbourhood').getByRole('link', { name: 'dc-east', exact: true })).toBeVisible();

  // A "N more" marker, clicked where the graph draws it, adds what the
  // view left out: the one with the most, among those on the screen.
  // (Without scrolling: cytoscape learns where its canvas moved to only
  // when the scroll event comes.)
  const marker = await page.evaluate(() => {
    const el = document.querySelector('#explorer') as HTMLElement & { graph: any };
    const cy = el.graph;
    const box = el.getBoundingClientRect();
    const onScreen = cy.nodes('.more').filter((m: any) => {
      const p = m.renderedPosition();
      const y = box.top + p.y;
      return p.x > 10 && p.y > 10 && p.x < cy.width() - 10 && p.y < cy.height() - 10 && y > 70 && y < window.innerHeight - 10;
    }).sort((a: any, b: any) => parseInt(b.data('label').slice(1)) - parseInt(a.data('label').slice(1)));
    if (onScreen.length === 0) return null;
    const p = onScreen[0].renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  });
  expect(marker).not.toBeNull();
  await page.mouse.click(marker!.x, marker!.y);
  await expect.poll(async () => Number(await graph.getAttribute('data-rendered-nodes'))).toBeGreaterThan(drawn);

  // Fail DC East through the id input, with suggestions as one types.
  const input = page.getByLabel('Service id to fail');
  await input.fill('dc-ea');
  await expect(page.locator('#fail-options option[value="dc-east"]')).toHaveCount(1);
  await input.fill('dc-east');
  await page.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(page.locator('#fail-chips')).toContainText('dc-east');
  await expect(page).toHaveURL(/fail=dc-east/);

  const impact = page.locator('#impact');
  await expect(impact).toBeVisible();
  await expect(page.locator('#impact-summary')).toContainText('services are impacted');
  const storefront = page.locator('#impact-list li[data-id="storefront"]');
  await expect(storefront).toContainText('down');
  // Its path starts at the failed site, as chips.
  await expect(storefront.locator('.via .chip').first()).toHaveText('dc-east');
  expect(await storefront.locator('.via .chip').count()).toBeGreaterThan(1);

  // The recovery waves, numbered, the failed site first.
  const waves = page.locator('#waves');
  await expect(waves).toBeVisible();
  await expect(waves.locator('.wave').first()).toContainText('Wave 1');
  await expect(waves.locator('.wave').first()).toContainText('dc-east');
  expect(await waves.locator('.wave').count()).toBeGreaterThan(2);

  // What it costs (graph/scenario_demo_test.go works the figures out by
  // hand): the storefront and finance-close are down, 955,000 after a day.
  const loss = page.locator('#loss');
  await expect(loss).toBeVisible();
  await expect(loss.locator('.loss-figure[data-horizon="1d"]')).toHaveAttribute('data-amount', '955000');
  await expect(loss.locator('.loss-figure[data-horizon="1w"]')).toHaveAttribute('data-amount', '8620000');
  await expect(loss.locator('.loss-figure[data-horizon="1d"] .loss-amount')).toHaveAttribute('title', '$955,000');
  await expect(loss.locator('.loss-service[data-id="storefront"]')).toContainText('Intolerable after 1d');
  await expect(loss.locator('.loss-service[data-id="storefront"]')).toContainText('$950,000 after 1 day');
  // The site has no restore time, so no estimate is made up; yet five
  // services miss their RTO on what is known alone.
  await expect(page.locator('#loss-recovery-summary')).toContainText('None of the 20 failed or down services can be estimated');
  await expect(page.locator('#impact-summary')).toContainText('5 miss their RTO');
  await expect(page.locator('#loss-recovery-summary')).toContainText('No restore time in the model for dc-east');

  // Clearing the failure takes the results away again.
  await page.getByRole('button', { name: 'Clear the failure' }).click();
  await expect(impact).toBeHidden();
  await expect(waves).toBeHidden();
  await expect(loss).toBeHidden();

  // The production cluster instead: every restore time on the way is
  // known but the storefront's own, and three services cannot be back
  // within their RTO.
  await input.fill('k8s-prod');
  await page.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(loss.locator('.loss-figure[data-horizon="1h"]')).toHaveAttribute('data-amount', '35000');
  await expect(loss.locator('.loss-figure[data-horizon="1d"] .loss-short')).toHaveText('$950K');
  await expect(loss.locator('.loss-figure[data-horizon="1d"] .loss-short')).toBeVisible();
  await expect(loss.locator('#loss-chart canvas').first()).toBeVisible();
  await expect(page.locator('#impact-summary')).toContainText('3 miss their RTO');
  const miss = page.locator('#impact-list li[data-id="catalog-api"]');
  await expect(miss).toHaveClass(/hit-miss/);
  await expect(miss).toContainText('misses RTO');
  await expect(miss).toContainText('Back after 4h10m · RTO 4h');
  await expect(page.locator('#impact-list li').first()).toHaveClass(/hit-miss/);
  await expect(page.locator('#impact-list li[data-id="catalog-db"]')).not.toHaveClass(/hit-miss/);
  await expect(waves.locator('.chip-miss', { hasText: 'catalog-api' })).toBeVisible();
  await expect(page.locator('#loss-recovery-summary')).toContainText('the last is back after 5h15m at the earliest; 3 miss their RTO');
  await page.getByRole('button', { name: 'Clear the failure' }).click();
  await expect(loss).toBeHidden();

  expect(problems).toEqual([]);
});

// Fewer levels, through the controls, and a failure kept in the address.
test('the controls change the view and keep the failure', async ({ page }) => {
  await page.goto('/services/checkout-api/graph?fail=payments-api');
  await expect(page.locator('#explorer')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#impact-list li[data-id="checkout"]')).toBeVisible();
  const wide = Number(await page.locator('#explorer').getAttribute('data-rendered-nodes'));

  await page.getByLabel('Levels down').selectOption('1');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/down=1/);
  await expect(page).toHaveURL(/fail=payments-api/);
  await expect(page.locator('#explorer')).toHaveAttribute('data-state', 'ready');
  const narrow = Number(await page.locator('#explorer').getAttribute('data-rendered-nodes'));
  expect(narrow).toBeLessThan(wide);
  await expect(page.locator('#fail-chips')).toContainText('payments-api');
});

// The findings page, linked from the main menu.
test('findings are grouped by rule and filtered', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Findings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Findings');
  await expect(page.locator('#rule-spof')).toBeVisible();
  await page.locator('#rule-filter').getByRole('link', { name: /rto-gap/ }).click();
  await expect(page).toHaveURL('/findings?rule=rto-gap');
  await expect(page.locator('#rule-rto-gap')).toContainText('storefront');
  await expect(page.locator('#rule-spof')).toHaveCount(0);
});
