/** The dashboard's HTTP server (`segmenta dashboard`), and the routes and app files `segmenta serve` mounts too. */
export { startDashboard, type DashboardHandle, type DashboardOptions } from './server.js';
export { locateAssets, packageRoot, type DashboardAssets } from './assets.js';
export { API_ROUTES, DASHBOARD_API_PREFIX, type ApiRoute, type ApiRequest } from './routes.js';
export { jsonText, readAppFile, sendFile } from './site.js';
