// Entry point: picks the page from the path, connects to the live feed, renders on every change.
import { Fleet } from './live.js';
import { InventoryPage } from './inventory-page.js';
import { OverviewPage } from './overview.js';
import { PoolPage } from './pool-page.js';
import { perFrame } from './format.js';
import { ensureSession, sessionBadge } from './session.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const fleet = new Fleet();

// Signed in first (a form asks for a token when the server wants one), then the page.
const session = await ensureSession(main);
document.querySelector('header.top').append(sessionBadge(session));

const match = /^\/ui\/pools\/([^/]+)\/([^/]+)$/.exec(location.pathname);
const page =
  match !== null
    ? new PoolPage(main, fleet, decodeURIComponent(match[1]), decodeURIComponent(match[2]))
    : location.pathname === '/ui/inventory'
      ? new InventoryPage(main, fleet)
      : new OverviewPage(main, fleet);

const render = perFrame(() => page.render());
fleet.onChange(render);
fleet.connect((text, ok) => {
  live.textContent = text;
  live.classList.toggle('off', !ok);
});
