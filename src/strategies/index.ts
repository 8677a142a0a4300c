export { DEFAULT_PLAYBOOK, CHANNELS, type Playbook, type Strategy, type FrequencyCap, type Channel } from './playbook.js';
export { loadPlaybook, mergePlaybook } from './load-playbook.js';
