/** The dashboard's HTTP server: `segmenta dashboard`. */
export { startDashboard, type DashboardHandle, type DashboardOptions } from './server.js';
export { locateAssets, packageRoot, type DashboardAssets } from './assets.js';
