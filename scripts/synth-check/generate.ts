import { generateShop } from '../../src/synth/index.js';
const n = Number(process.argv[2] ?? 2000), seed = Number(process.argv[3] ?? 1), out = process.argv[4] ?? '/tmp/synthx/out';
const r = await generateShop({ customers: n, seed, out });
console.log(JSON.stringify(r));
