import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitPositive, requireConverged } from './fit.js';
import { minimise } from './optimise.js';

const rosenbrock = (x: Float64Array): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

test('minimise finds the Rosenbrock minimum at (1, 1) from several starts and says it converged', () => {
  const found = minimise(rosenbrock, [[-1.2, 1], [3, -2]]);
  assert.equal(found.converged, true, found.message);
  assert.ok(Math.abs(found.x[0]! - 1) < 1e-6 && Math.abs(found.x[1]! - 1) < 1e-6, `got ${found.x}`);
  assert.match(found.message, /converged after \d+ restart/);
});

test('minimise reports converged:false with the reason when the iteration cap is hit', () => {
  const found = minimise(rosenbrock, [[-1.2, 1]], { maxIterations: 5 });
  assert.equal(found.converged, false);
  assert.equal(found.message, 'Nelder–Mead did not converge within maxIterations=5');
});

test('minimise steps away from non-finite values of the objective', () => {
  const found = minimise((x) => (x[0]! < 0 ? NaN : (x[0]! - 2) ** 2), [[0.1]]);
  assert.ok(found.converged && Math.abs(found.x[0]! - 2) < 1e-6);
});

test('requireConverged throws with the model name and the reason', () => {
  const fit = fitPositive(['k'], (v) => -((Math.log(v[0]!) - 1) ** 2), [[1]], { maxIterations: 2 });
  assert.equal(fit.converged, false);
  assert.throws(() => requireConverged('Toy', fit), /^Error: Toy fit did not converge: Nelder–Mead did not converge within maxIterations=2/);
  assert.throws(() => fitPositive(['k'], () => 0, [[-1]], {}), { message: 'fit starts must be 1 positive finite numbers (k) (got [-1])' });
});
