/**
 * The report's HTML page: one file with its CSS inline and no script, link, image or font to fetch, so it opens from
 * disk (file://) with no server and no network. Colours and type follow the dashboard's style sheet.
 */
import { esc } from '../svg/escape.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}h3{font-size:15px;margin:0 0 6px}
.sub{color:#5b6670;margin-bottom:16px}
.kpis{display:flex;flex-wrap:wrap;gap:12px}.kpi{background:#fff;border-radius:8px;padding:12px 16px;min-width:140px;box-shadow:0 1px 2px #0001}
.kpi b{display:block;font-size:22px}.kpi small{display:block;color:#5b6670;font-size:12px}
.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 2px #0001;overflow-x:auto;margin:0 0 16px;min-width:0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
th{background:#fafbfc;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}.why,.hint{color:#5b6670;font-size:12px}
.hint{margin:0 0 8px}
.chart{max-width:100%;height:auto}.chart text{font-size:12px;fill:#1d232b}.chart .chart-title{font-weight:600;font-size:13px}.chart .axis{fill:#5b6670;font-size:11px}.chart .cell{font-size:11px}
svg.echart{display:block;width:100%;height:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
.grid.three{grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}
.grid>.card{margin:0}.grid{margin-bottom:16px}.num,.name{white-space:nowrap}
.notice{border:1px solid #7fb0dc;background:#eaf3fb;border-radius:8px;padding:14px 16px;margin:12px 0}
.notice.running{border-color:#e0b44c;background:#fff6e0}.notice h2{margin:0 0 4px;font-size:16px}.notice p{margin:0}
code{font:0.95em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#0000000d;padding:0 4px;border-radius:3px}
pre{white-space:pre-wrap;font-size:12px}
@media print{body{background:#fff}.card{box-shadow:none;border:1px solid #e4e7eb;break-inside:avoid}}
`;

/** The whole document around `body` (already HTML). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style></head><body><main>
${body}
</main></body></html>
`;
}

/** A friendly notice (`kind` "empty" or "running"); `message` may hold `backticked` commands, shown as code. */
export function notice(kind: 'empty' | 'running', title: string, message: string): string {
  const text = esc(message).split('`').map((part, i) => (i % 2 === 1 ? `<code>${part}</code>` : part)).join('');
  return `<div class="notice ${kind}" role="status" data-notice="${kind}"><h2>${esc(title)}</h2><p>${text}</p></div>`;
}
