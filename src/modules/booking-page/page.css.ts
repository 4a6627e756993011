// The booking page's styles: one small sheet, readable at 390 px, visible focus, system fonts only.
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f5f6f8}
main{max-width:720px;margin:0 auto;padding:16px}
header{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.1rem;margin:0 0 8px}
.business{margin:0;color:#5a6475}
.facts{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;padding:0;margin:8px 0 0;color:#5a6475}
section{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px}
label{display:block;font-weight:600;margin:12px 0 4px}
input,textarea,select{width:100%;font:inherit;padding:10px;border:1px solid #b8c0cc;border-radius:8px;background:#fff}
button,.button{font:inherit;padding:10px 14px;border-radius:8px;border:1px solid #2456d3;background:#2456d3;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#2456d3}
button:disabled{opacity:.4;cursor:default}
:focus-visible{outline:3px solid #f0a400;outline-offset:2px}
.month-nav{display:flex;align-items:center;justify-content:space-between;gap:8px;margin-bottom:8px}
.month-nav button{min-width:44px}
.calendar{display:grid;grid-template-columns:repeat(7,1fr);gap:4px}
.calendar .dow{font-size:.8rem;text-align:center;color:#5a6475}
.calendar button{padding:10px 0;min-height:44px;width:100%}
.calendar button[aria-pressed=true]{background:#133a99;border-color:#133a99}
.calendar button:disabled{background:#eef0f3;color:#8a93a3;border-color:#eef0f3}
.times{display:grid;grid-template-columns:repeat(auto-fill,minmax(96px,1fr));gap:8px}
.error{color:#b3261e;font-weight:600}
.hint{color:#5a6475;font-size:.9rem}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;
