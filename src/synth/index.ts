/** The synthetic shop generator: `generateShop` and the persona definitions it draws customers from. */
export { generateShop, type GenerateOptions, type GenerateReport } from './generate.js';
export { PERSONAS, PERSONA_SPECS, type Persona, type PersonaSpec, type OrderPattern } from './personas.js';
