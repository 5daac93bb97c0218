/** The dashboard's one stylesheet, served from /dashboard/assets/ (the CSP allows no inline style). */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1d2330; --muted: #4a5263; --line: #d5d9e0; --accent: #0b57d0; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; justify-content: space-between;
  padding: .75rem 1rem; background: #fff; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; color: var(--ink); text-decoration: none; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: .5rem 1rem; background: #fff;
  border-bottom: 1px solid var(--line); }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--ink); }
a { color: var(--accent); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0 0 .25rem; }
.lead, .meta, small { color: var(--muted); }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .5rem .75rem; }
th, td { text-align: left; padding: .4rem .75rem; border-top: 1px solid var(--line); vertical-align: top; }
form.inline { display: inline-block; margin: 0 .25rem .25rem 0; }
button { font: inherit; padding: .35rem .75rem; border: 1px solid var(--accent); border-radius: 6px; background: #fff;
  color: var(--accent); cursor: pointer; min-height: 2.25rem; }
button:hover, button:focus-visible { background: var(--accent); color: #fff; }
.signout { display: flex; gap: .5rem; align-items: center; margin: 0; }
.chart { margin: 0 0 1.5rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.chart svg { max-width: 100%; height: auto; display: block; }
article { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
.options { list-style: none; padding-left: 0; }
.options li { margin: .15rem 0; }
.options li.correct { font-weight: 600; }
code { font-family: "DejaVu Sans Mono", monospace; background: #eef0f3; padding: 0 .2rem; border-radius: 3px; }
.letter { font-weight: 700; }
.notice { background: #e8f0fe; border: 1px solid #b6cdfb; border-radius: 6px; padding: .5rem .75rem; }
.error { background: #fdecea; border-color: #f3b8b1; }
.providers { display: flex; flex-direction: column; gap: .75rem; max-width: 22rem; }
.providers a { display: block; padding: .6rem 1rem; border: 1px solid var(--accent); border-radius: 6px; background: #fff;
  text-align: center; font-weight: 600; text-decoration: none; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table, caption, tbody, tr, td { display: block; width: 100%; }
  tr { border-top: 1px solid var(--line); padding: .25rem 0; }
  td { display: grid; grid-template-columns: 8.5rem 1fr; gap: .5rem; border: 0; padding: .25rem .75rem; }
  td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
}
`;
