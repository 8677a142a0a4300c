/**
 * The shop's product catalog: a few hundred products over twelve categories with log-normal prices (each
 * category has its own median). Products are kept sorted by price so a shopper with a target item price can be
 * matched to a product in O(log n).
 */
import type { Rng } from '../core/rng.js';
import { logNormal, pick } from './random.js';

export interface Product {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
  /** Price in cents. */
  readonly priceCents: number;
}

/** Category name → median price in currency units and the nouns its product names use. */
const CATEGORIES = {
  Apparel: { median: 45, nouns: ['Shirt', 'Jacket', 'Hoodie', 'Dress', 'Jeans'] },
  Footwear: { median: 80, nouns: ['Sneakers', 'Boots', 'Sandals', 'Loafers'] },
  Electronics: { median: 160, nouns: ['Headphones', 'Speaker', 'Charger', 'Smartwatch', 'Camera'] },
  Home: { median: 40, nouns: ['Lamp', 'Cushion', 'Rug', 'Vase', 'Blanket'] },
  Kitchen: { median: 35, nouns: ['Pan', 'Knife Set', 'Kettle', 'Mug Set', 'Blender'] },
  Beauty: { median: 22, nouns: ['Serum', 'Lipstick', 'Moisturiser', 'Perfume'] },
  Sports: { median: 55, nouns: ['Yoga Mat', 'Dumbbells', 'Racket', 'Water Bottle'] },
  Toys: { median: 25, nouns: ['Puzzle', 'Building Set', 'Plush Bear', 'Board Game'] },
  Books: { median: 15, nouns: ['Novel', 'Cookbook', 'Atlas', 'Notebook'] },
  Garden: { median: 30, nouns: ['Planter', 'Hose', 'Shears', 'Seed Kit'] },
  Jewelry: { median: 120, nouns: ['Necklace', 'Ring', 'Bracelet', 'Earrings'] },
  Grocery: { median: 9, nouns: ['Coffee Beans', 'Olive Oil', 'Tea Tin', 'Chocolate'] },
} as const;

const ADJECTIVES = ['Classic', 'Urban', 'Nordic', 'Alpine', 'Coastal', 'Vintage', 'Essential', 'Premium', 'Eco', 'Studio'];

/** Number of categories in every catalog. */
export const CATEGORY_COUNT = Object.keys(CATEGORIES).length;

export interface Catalog {
  /** Products sorted by price, ascending. */
  readonly products: readonly Product[];
  /** Natural log of each product's price, same order, for the price search. */
  readonly logPrices: Float64Array;
}

/** Builds `count` products (ids `P00001`…) spread round-robin over the categories. Cost O(n log n). */
export function buildCatalog(rng: Rng, count = 360): Catalog {
  const names = Object.keys(CATEGORIES) as (keyof typeof CATEGORIES)[];
  const drafts: { name: string; category: string; priceCents: number }[] = [];
  for (let i = 0; i < count; i++) {
    const category = names[i % names.length]!;
    const spec = CATEGORIES[category];
    const price = Math.max(2, logNormal(rng, spec.median, 0.55));
    const priceCents = Math.round(price * 100) - 1; // prices end in .x9
    drafts.push({ name: `${pick(rng, ADJECTIVES)} ${pick(rng, spec.nouns)} ${100 + i}`, category, priceCents });
  }
  drafts.sort((a, b) => a.priceCents - b.priceCents || a.name.localeCompare(b.name));
  const products = drafts.map((d, i) => ({ ...d, productId: `P${String(i + 1).padStart(5, '0')}` }));
  const logPrices = Float64Array.from(products, (p) => Math.log(p.priceCents / 100));
  return { products, logPrices };
}

/**
 * The product whose log price is nearest to `log(targetPrice) + noise` (noise ~ N(0, sigma²)), so shoppers
 * with a high target buy expensive items without all buying the same one. Binary search: O(log n).
 */
export function productNear(catalog: Catalog, rng: Rng, targetPrice: number, sigma = 0.35): Product {
  const want = Math.log(targetPrice) + sigma * rng.normal();
  const prices = catalog.logPrices;
  let lo = 0;
  let hi = prices.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (prices[mid]! < want) lo = mid + 1;
    else hi = mid;
  }
  // widen to a small neighbourhood so the same target price still spreads over a few products
  const index = Math.min(prices.length - 1, Math.max(0, lo - 3 + rng.int(7)));
  return catalog.products[index]!;
}
