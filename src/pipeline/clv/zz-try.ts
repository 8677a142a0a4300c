import { clvCommand } from '../../cli/commands/clv.js';
import { processIo } from '../../cli/output.js';
for (const model of ['bgnbd', 'pareto', 'mbgnbd']) {
  const code = await clvCommand.run(['--preset', 'online-retail', '--calibration-end', '2011-09-09', '--holdout-end', '2011-12-09', '--unit', 'days', '--model', model, '--top', '3'], processIo);
  console.log('exit', code);
}
