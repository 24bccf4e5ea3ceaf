/**
 * The HTML shell shared by the webviews (chat, arena, usage): a strict Content-Security-Policy
 * (no inline code, scripts only with the nonce, styles, fonts and images only from the
 * extension's media/ folder), the stylesheet, the page's body and the bundled script.
 *
 * Pure module: unit-tested in plain Node.
 */
import { randomBytes } from 'crypto';

export interface WebviewHtmlParts {
  /** `webview.cspSource` */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** A fresh nonce: 32 hex digits from the OS's random source. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The whole page: `body` is the markup between `<body>` and the script, indented by two. */
export function webviewHtml(parts: WebviewHtmlParts, title: string, body: string): string {
  const csp = escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
  <title>${title}</title>
</head>
<body>
${body}
  <script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}
