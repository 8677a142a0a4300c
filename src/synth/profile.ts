/** Fake personal data of a customer: traits for identify calls and the consent they gave. */
import type { Rng } from '../core/rng.js';
import { pick } from './random.js';

export interface Consent {
  readonly analytics: boolean;
  readonly personalization: boolean;
  readonly marketing: boolean;
}

export interface Profile {
  readonly country: string;
  readonly locale: string;
  /** JSON text of the identify traits. */
  readonly traits: string;
  readonly consent: Consent;
}

const FIRST = ['Ada', 'Ben', 'Chloé', 'Dev', 'Elif', 'Finn', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kaya', 'Liam', 'Maya', 'Noor', 'Oskar', 'Priya'];
const LAST = ['Andersen', 'Baker', 'Costa', 'Dubois', 'Evans', 'Fischer', 'García', 'Hansen', 'Ito', 'Jansen', 'Kowalski', 'Lopez'];
/** Country → locale, listed with repeats to weight the draw. */
const COUNTRIES: readonly (readonly [string, string])[] = [
  ['US', 'en-US'], ['US', 'en-US'], ['US', 'en-US'], ['GB', 'en-GB'], ['GB', 'en-GB'], ['DE', 'de-DE'], ['DE', 'de-DE'],
  ['FR', 'fr-FR'], ['NL', 'nl-NL'], ['ES', 'es-ES'], ['IT', 'it-IT'], ['SE', 'sv-SE'], ['CA', 'en-CA'], ['AU', 'en-AU'],
];

/** Draws a profile; the email address embeds `index` so it is unique. Analytics consent is always given. */
export function drawProfile(rng: Rng, index: number): Profile {
  const first = pick(rng, FIRST);
  const last = pick(rng, LAST);
  const [country, locale] = pick(rng, COUNTRIES);
  const email = `${first}.${last}.${index + 1}@example.com`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const consent = { analytics: true, personalization: rng.next() < 0.8, marketing: rng.next() < 0.9 };
  return { country, locale, traits: JSON.stringify({ email, name: `${first} ${last}`, first_name: first, last_name: last, country }), consent };
}
