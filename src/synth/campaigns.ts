/**
 * Email campaigns: a welcome mail when a customer becomes known, then a campaign every few weeks
 * (newsletters and promotions alternating). Opens follow the persona's open probability, which may fade over
 * the year (churn risk); clicks follow opens.
 */
import type { Rng } from '../core/rng.js';
import type { EventWriter } from './emit.js';
import type { PersonaSpec } from './personas.js';
import { chance, clamp, logNormal } from './random.js';

export interface Campaign {
  readonly id: string;
  /** Send time, epoch ms. */
  readonly ts: number;
}

const DAY_MS = 86_400_000;
const EMAIL_CONTEXT = '{"channel":"server","library":{"name":"segmenta-mailer"}}';

/** `count` campaigns spread evenly over the window, sent at 09:00 UTC. */
export function buildCampaigns(startMs: number, days: number, count = 12): Campaign[] {
  const out: Campaign[] = [];
  for (let k = 0; k < count; k++) {
    const day = Math.floor(((k + 0.5) * days) / count);
    out.push({ id: `${k % 2 === 0 ? 'news' : 'promo'}-${String(k + 1).padStart(2, '0')}`, ts: startMs + day * DAY_MS + 9 * 3_600_000 });
  }
  return out;
}

/**
 * Writes Email Delivered / Opened / Link Clicked for one customer known since `knownAt`; nothing is later
 * than `lastMs`. Campaign ids are plain ASCII, so the JSON is written as text.
 */
export function sendEmails(
  shop: { readonly events: EventWriter; readonly campaigns: readonly Campaign[]; readonly startMs: number; readonly days: number },
  rng: Rng, userId: string, knownAt: number, spec: PersonaSpec, lastMs: number,
): void {
  const actor = { userId, anonymousId: null };
  const affinity = logNormal(rng, 1, 0.15);
  const spanMs = shop.days * DAY_MS;
  const send = (campaignId: string, ts: number): void => {
    if (ts > lastMs) return;
    shop.events.track(actor, ts, 'Email Delivered', `{"campaign_id":"${campaignId}"}`, EMAIL_CONTEXT);
    const progress = (ts - shop.startMs) / spanMs;
    const p = clamp((spec.emailOpen[0] + (spec.emailOpen[1] - spec.emailOpen[0]) * progress) * affinity, 0, 0.97);
    if (!chance(rng, p)) return;
    const opened = Math.min(lastMs, ts + Math.round(logNormal(rng, 3 * 3_600_000, 1)));
    shop.events.track(actor, opened, 'Email Opened', `{"campaign_id":"${campaignId}"}`, EMAIL_CONTEXT);
    if (!chance(rng, spec.clickGivenOpen)) return;
    shop.events.track(actor, Math.min(lastMs, opened + 20_000 + rng.int(60_000)), 'Email Link Clicked',
      `{"campaign_id":"${campaignId}","link_url":"https://shop.example.com/${campaignId}"}`, EMAIL_CONTEXT);
  };
  send('welcome', knownAt + 60_000);
  for (const c of shop.campaigns) if (c.ts > knownAt) send(c.id, c.ts + rng.int(3_600_000));
}
